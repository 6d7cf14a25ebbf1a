import Glibc

/// Entry points for `fairway mapreduce-task map|reduce`: run the task, print one summary line (or
/// the failure message) on stderr, and return the process exit status — 0 success (including a
/// reduce whose partition another attempt committed first), 1 task failure, 2 map output fetch
/// failure, 64 invalid arguments (see `BatchRuntimeError`).
public enum MapReduceTaskRunner {
    public static func runMap(_ options: MapTaskOptions) async -> Int32 {
        do {
            let counters = try await MapTask(options: options).run()
            printError("fairway mapreduce-task: \(counters.summary)")
            return 0
        } catch {
            printError("fairway mapreduce-task: map of \(options.split) failed: \(error.message)")
            return error.exitStatus
        }
    }

    public static func runReduce(_ options: ReduceTaskOptions) async -> Int32 {
        do {
            let outcome = try await ReduceTask(options: options).run()
            let result = outcome.committed
                ? "committed \(outcome.outputPath)"
                : "\(outcome.outputPath) was already committed by another attempt; this attempt's output was discarded"
            printError("fairway mapreduce-task: partition \(options.partition): \(outcome.counters.summary); \(result)")
            return 0
        } catch {
            printError("fairway mapreduce-task: reduce of partition \(options.partition) failed: \(error.message)")
            return error.exitStatus
        }
    }

    static func printError(_ line: String) {
        _ = POSIXFiles.writeAll(STDERR_FILENO, Array((line + "\n").utf8))
    }
}
