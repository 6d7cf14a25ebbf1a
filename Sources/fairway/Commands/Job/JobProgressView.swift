import FairwayCore
import FairwayProto
import Foundation
import FrameworkKit

/// How jobs read on a terminal: a progress bar while waiting, a summary for `status`, the lists
/// of `list` and `status --tasks`.
enum JobProgressView {
    static func jsonObject(_ job: Fairway_V1_Batch_Job) -> Any {
        (try? JSONSerialization.jsonObject(with: Data(MesosJSON.encode(job)))) ?? [:]
    }

    /// "maps 12/40, reduces 0/4" (or "tasks 990/1000").
    static func progressText(_ job: Fairway_V1_Batch_Job) -> String {
        job.phases.map { "\($0.phase.plural) \($0.succeeded)/\($0.total)" }.joined(separator: ", ")
    }

    static func elapsed(_ job: Fairway_V1_Batch_Job) -> String {
        let end = job.hasFinishedAt ? job.finishedAt : Date().timeIntervalSince1970
        return clock(max(0, end - job.submittedAt))
    }

    /// 75 s → "1:15", 3725 s → "1:02:05".
    static func clock(_ seconds: Double) -> String {
        let total = Int(seconds.rounded(.down))
        let (hours, minutes, secs) = (total / 3600, total / 60 % 60, total % 60)
        let mmss = String(format: "%02d:%02d", minutes, secs)
        return hours > 0 ? "\(hours):\(mmss)" : String(format: "%d:%02d", minutes, secs)
    }

    /// One line for a terminal: `job-3 running  maps [#######-------] 12/40  reduces [--------] 0/4  running 8  failed 1  0:12`.
    static func bar(_ job: Fairway_V1_Batch_Job, width: Int = 20) -> String {
        var parts = ["\(job.id) \(job.stateName)"]
        for phase in job.phases {
            let filled = phase.total == 0 ? width : Int((Double(phase.succeeded) / Double(phase.total) * Double(width)).rounded(.down))
            parts.append("\(phase.phase.plural) [\(String(repeating: "#", count: filled))\(String(repeating: "-", count: width - filled))] \(phase.succeeded)/\(phase.total)")
        }
        parts.append("running \(job.phases.reduce(0) { $0 + Int($1.running) })")
        parts.append("failed \(job.failedAttempts)")
        parts.append(elapsed(job))
        if job.hasWaitingReason { parts.append("(waiting: \(job.waitingReason))") }
        return parts.joined(separator: "  ")
    }

    /// One plain line for logs and pipes: `job-3 running: maps 12/40, reduces 0/4; running 8, failed 1; 0:12`.
    static func line(_ job: Fairway_V1_Batch_Job) -> String {
        "\(job.id) \(job.stateName): \(progressText(job)); running \(job.phases.reduce(0) { $0 + Int($1.running) }), failed \(job.failedAttempts); \(elapsed(job))"
            + (job.hasWaitingReason ? "; waiting: \(job.waitingReason)" : "")
    }

    static func describe(_ job: Fairway_V1_Batch_Job) -> String {
        var lines = ["job:      \(job.id)\(job.spec.hasName ? " (\(job.spec.name))" : "")",
                     "kind:     \(job.kindName)",
                     "state:    \(job.stateName)\(job.hasMessage ? " — \(job.message)" : "")",
                     "elapsed:  \(elapsed(job))",
                     "resources per task: cpus \(Scalar(job.spec.cpus)), mem \(Scalar(job.spec.mem)) MB, \(job.spec.maxAttempts) attempts"]
        for phase in job.phases {
            lines.append("\(phase.phase.plural.padding(toLength: 9, withPad: " ", startingAt: 0)) \(phase.succeeded)/\(phase.total) done, \(phase.running) running, \(phase.waiting) waiting, \(phase.failedAttempts) failed attempts")
        }
        if job.hasWaitingReason { lines.append("waiting:  \(job.waitingReason)") }
        if !job.counters.isEmpty {
            lines.append("counters:")
            for counter in job.counters { lines.append("  \(counter.name) \(counter.value)") }
        }
        return lines.joined(separator: "\n")
    }

    static func attemptTable(_ job: Fairway_V1_Batch_Job) -> TextTable {
        var table = TextTable(headers: ["TASK", "ATTEMPT", "STATE", "AGENT", "SECONDS", "MESSAGE"], rightAligned: [4])
        for task in job.tasks {
            for attempt in task.attempts {
                let end = attempt.hasFinishedAt ? attempt.finishedAt : Date().timeIntervalSince1970
                table.append(["\(task.phase.noun) \(task.index)", attempt.id + (attempt.speculative ? " (backup)" : ""),
                              "\(attempt.state)".lowercased(), attempt.hostname.isEmpty ? attempt.agentID : attempt.hostname,
                              String(format: "%.1f", max(0, end - attempt.startedAt)), attempt.message])
            }
        }
        return table
    }
}

extension Fairway_V1_Batch_Job {
    var stateName: String { "\(state)".lowercased() }

    var kindName: String {
        switch spec.kind {
        case .array?: "array"
        case .mapReduce?: "mapreduce"
        case nil: "?"
        }
    }

    var failedAttempts: Int { phases.reduce(0) { $0 + Int($1.failedAttempts) } }

    var isFinished: Bool { [.succeeded, .failed, .killed].contains(state) }
}

extension Fairway_V1_Batch_Task.Phase {
    var plural: String {
        switch self {
        case .array: "tasks"
        case .map: "maps"
        case .reduce: "reduces"
        default: "tasks"
        }
    }

    var noun: String {
        switch self {
        case .map: "map"
        case .reduce: "reduce"
        default: "task"
        }
    }
}
