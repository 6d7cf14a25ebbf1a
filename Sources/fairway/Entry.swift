import Agent
import Dispatch
import Glibc

/// The process entry point. Two internal modes are handed over before anything else runs:
///
/// - `fairway launcher-service …` (`LauncherService`) must stay single-threaded for its whole life
///   to `fork` safely, so it starts before ArgumentParser, Foundation, Dispatch or Swift
///   concurrency could create a thread (it checks `/proc/self/status` itself).
/// - `fairway launch …` (`LauncherMode`, one per task with `--launcher fairway`) skips parsing the
///   whole command tree; malformed arguments fall through to ArgumentParser for its error message.
///
/// Everything else is `Fairway`, the ArgumentParser command tree, run as an async task while the
/// main thread serves the main queue.
@main
enum Entry {
    static func main() {
        let arguments = CommandLine.arguments
        if arguments.count > 1 {
            switch arguments[1] {
            case LauncherService.commandName:
                LauncherService.main(arguments: Array(arguments.dropFirst(2)))
            case "launch":
                if let launch = try? LauncherArguments(parsing: Array(arguments.dropFirst(2))) {
                    LauncherMode.run(launch)
                }
            default:
                break
            }
        }
        Task {
            await Fairway.main()
            exit(0)
        }
        dispatchMain()
    }
}
