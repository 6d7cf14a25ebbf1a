/// Command-line options of `fairway-example`, parsed by hand (the target has no argument-parser
/// dependency). Accepts `--flag value` and `--flag=value`.
struct ExampleOptions: Equatable {
    var master = ""
    var tasks = 5
    var command = "echo hello from $MESOS_TASK_ID"
    var cpus = 0.1
    var mem = 32.0
    var json = false
    var help = false

    static let usage = """
    USAGE: fairway-example --master HOST:PORT [--tasks N] [--cmd COMMAND] [--cpus N] [--mem MB] [--json]

    Runs N shell tasks on a Fairway (or Mesos) cluster through the Swift SDK, prints every status
    update, and exits 0 when all of them finished (1 otherwise).

    OPTIONS:
      --master HOST:PORT  The master to subscribe to (default: $FAIRWAY_MASTER, else 127.0.0.1:5050).
      --tasks N           How many tasks to run (default: 5). Each offer takes as many as fit.
      --cmd COMMAND       Shell command of every task (default: 'echo hello from $MESOS_TASK_ID').
                          MESOS_TASK_ID is set to the task's id.
      --cpus N            CPUs per task (default: 0.1).
      --mem MB            Memory per task in MB (default: 32).
      --json              Speak JSON to the master instead of protobuf.
      -h, --help          Show this help.
    """

    struct UsageError: Error, CustomStringConvertible {
        var description: String
    }

    static func parse(_ arguments: [String], environment: [String: String]) throws -> ExampleOptions {
        var options = ExampleOptions()
        options.master = environment["FAIRWAY_MASTER"].flatMap { $0.isEmpty ? nil : $0 } ?? "127.0.0.1:5050"
        var index = 0
        func value(for flag: String, inline: String?) throws -> String {
            if let inline { return inline }
            index += 1
            guard index < arguments.count else { throw UsageError(description: "\(flag) needs a value") }
            return arguments[index]
        }
        func number(_ text: String, _ flag: String) throws -> Double {
            guard let value = Double(text), value.isFinite, value >= 0 else {
                throw UsageError(description: "\(flag) wants a non-negative number, not '\(text)'")
            }
            return value
        }
        while index < arguments.count {
            let argument = arguments[index]
            let parts = argument.split(separator: "=", maxSplits: 1).map(String.init)
            let flag = parts[0]
            let inline = argument.hasPrefix("--") && parts.count == 2 ? parts[1] : nil
            switch flag {
            case "--master": options.master = try value(for: flag, inline: inline)
            case "--tasks":
                let text = try value(for: flag, inline: inline)
                guard let count = Int(text), count >= 0 else {
                    throw UsageError(description: "--tasks wants a whole number, not '\(text)'")
                }
                options.tasks = count
            case "--cmd": options.command = try value(for: flag, inline: inline)
            case "--cpus": options.cpus = try number(try value(for: flag, inline: inline), flag)
            case "--mem": options.mem = try number(try value(for: flag, inline: inline), flag)
            case "--json": options.json = true
            case "-h", "--help": options.help = true
            default: throw UsageError(description: "unknown option '\(argument)'")
            }
            index += 1
        }
        guard options.cpus > 0 || options.mem > 0 else {
            throw UsageError(description: "a task needs some --cpus or --mem")
        }
        return options
    }
}
