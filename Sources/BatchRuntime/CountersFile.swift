import Foundation

/// Writes a task's counters for the framework to collect.
enum CountersFile {
    /// Writes `counters` as a flat JSON object with sorted keys to `counters.json` in `sandbox`.
    static func write<Counters: Encodable>(_ counters: Counters, sandbox: String) throws(BatchRuntimeError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let bytes: [UInt8]
        do {
            bytes = Array(try encoder.encode(counters)) + [StreamingRecord.newline]
        } catch {
            throw BatchRuntimeError("cannot encode the task's counters: \(error)")
        }
        try POSIXFiles.writeFileAtomically(sandbox + "/" + MapReduceLayout.countersFile, bytes, what: "counters file")
    }
}
