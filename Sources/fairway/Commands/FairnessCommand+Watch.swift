import Foundation
import FrameworkKit

extension FairnessCommand {
    /// Fetches and prints the view every `--interval` seconds until Ctrl-C: redrawn in place on a
    /// terminal, printed again (a frame per refresh) elsewhere. A master that stops answering is
    /// reported in the view and asked again at the next refresh rather than ending the command.
    func watchView(_ client: FairnessClient) async throws {
        ProcessSignals.install()
        let seconds = interval ?? 2
        let redraw = TerminalScreen.isTerminal && !json
        if redraw { InspectOutput.write(TerminalScreen.clear) }
        while ProcessSignals.receivedSignal == nil {
            let command = self
            let text: String
            do {
                guard let view = try await Self.interruptible({ try await command.view(client) }) else { break }
                text = view
            } catch let error as InspectionError {
                text = "\(error.message)\n(asking again every \(QuantityFormat.number(seconds))s; Ctrl-C to stop)"
                if json {
                    // Standard output stays one JSON document per line for whatever reads it.
                    FileHandle.standardError.write(Data((text + "\n").utf8))
                    if await Self.interrupted(within: seconds) { break }
                    continue
                }
            }
            if json {
                InspectOutput.write(text)
            } else if redraw {
                let header = "fairness on \(client.master) at \(Self.clock()) · every \(QuantityFormat.number(seconds))s · Ctrl-C to stop"
                FileHandle.standardOutput.write(Data(TerminalScreen.frame(header + "\n\n" + text, size: TerminalScreen.size).utf8))
            } else {
                InspectOutput.write("--- \(Self.clock())\n" + text + "\n")
            }
            if await Self.interrupted(within: seconds) { break }
        }
    }

    /// Runs `body`, or gives up on it (returning nil) when Ctrl-C arrives first, so a slow or
    /// hung request does not hold the command.
    static func interruptible<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) async throws -> T? {
        try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { try await body() }
            group.addTask {
                _ = await interrupted(within: nil)
                return nil
            }
            defer { group.cancelAll() }
            return try await group.next() ?? nil
        }
    }

    /// Waits up to `seconds` (for ever with nil) for SIGINT or SIGTERM; true when one came. Ends
    /// early, returning false, when the task is cancelled.
    static func interrupted(within seconds: Double?) async -> Bool {
        let deadline = seconds.map { ContinuousClock.now + .milliseconds(Int64($0 * 1000)) }
        while ProcessSignals.receivedSignal == nil, !Task.isCancelled {
            if let deadline, ContinuousClock.now >= deadline { return false }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return ProcessSignals.receivedSignal != nil
    }

    /// The local wall-clock time, `23:41:07`.
    static func clock() -> String {
        SharesChart.clockLabel(Date().timeIntervalSince1970, seconds: true, timeZone: .current)
    }
}
