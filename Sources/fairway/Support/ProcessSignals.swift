import Dispatch
import Foundation

/// SIGINT and SIGTERM for long-running commands (Ctrl-C), so they can shut down cleanly.
enum ProcessSignals {
    private static let received = ReceivedSignal()

    /// Starts catching SIGINT and SIGTERM; call once, before waiting.
    static func install() {
        received.install()
    }

    /// The signal received so far, if any.
    static var receivedSignal: Int32? { received.value }

    /// Suspends until SIGINT or SIGTERM arrives; returns the signal number.
    static func waitForTermination() async -> Int32 {
        install()
        while true {
            if let signal = received.value { return signal }
            try? await Task.sleep(for: .milliseconds(100))
        }
    }
}

private final class ReceivedSignal: @unchecked Sendable {
    private let lock = NSLock()
    private var signal: Int32?
    private var sources: [DispatchSourceSignal] = []

    var value: Int32? {
        lock.lock()
        defer { lock.unlock() }
        return signal
    }

    func install() {
        lock.lock()
        defer { lock.unlock() }
        guard sources.isEmpty else { return }
        for signalNumber in [SIGINT, SIGTERM] {
            Foundation.signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler { [weak self] in self?.record(signalNumber) }
            source.resume()
            sources.append(source)
        }
    }

    private func record(_ value: Int32) {
        lock.lock()
        defer { lock.unlock() }
        if signal == nil { signal = value }
    }
}
