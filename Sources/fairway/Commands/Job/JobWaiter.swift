import Foundation
import FrameworkKit
import FairwayProto

/// Follows a job to its end: a progress bar redrawn in place on a terminal, plain progress lines
/// (when something changed, at most every few seconds) otherwise.
struct JobWaiter {
    let client: BatchClient
    var pollInterval: Duration = .milliseconds(500)
    /// Plain lines are printed at most this often, unless the job ended.
    var lineInterval: Double = 2

    func follow(_ id: String) async throws -> Fairway_V1_Batch_Job {
        let terminal = TerminalScreen.isTerminal
        var lastLine = ""
        var lastPrinted = 0.0
        while true {
            let job = try await client.job(id)
            if terminal {
                FileHandle.standardOutput.write(Data(("\r" + JobProgressView.bar(job) + TerminalScreen.escape + "K").utf8))
            } else {
                let line = JobProgressView.line(job)
                let now = Date().timeIntervalSince1970
                let changed = line.prefix(while: { $0 != ";" }) != lastLine.prefix(while: { $0 != ";" })
                if job.isFinished || (changed && now - lastPrinted >= lineInterval) {
                    InspectOutput.write(line)
                    lastLine = line
                    lastPrinted = now
                }
            }
            if job.isFinished {
                if terminal { FileHandle.standardOutput.write(Data("\n".utf8)) }
                return job
            }
            try await Task.sleep(for: pollInterval)
        }
    }
}
