import FairwayCore
import FairwayProto
import Foundation
import FrameworkKit
import Logging

// fairway-example: a small framework on the Swift SDK. See `ExampleOptions.usage`.

let options: ExampleOptions
do {
    options = try ExampleOptions.parse(Array(CommandLine.arguments.dropFirst()), environment: ProcessInfo.processInfo.environment)
} catch {
    FileHandle.standardError.write(Data("error: \(error)\n\n\(ExampleOptions.usage)\n".utf8))
    exit(2)
}
if options.help {
    say(ExampleOptions.usage)
    exit(0)
}

func warn(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}

/// Prints a line at once (unbuffered), so it interleaves with warnings in the order things happened.
func say(_ text: String) {
    FileHandle.standardOutput.write(Data((text + "\n").utf8))
}

var frameworkInfo = Fairway_V1_FrameworkInfo()
frameworkInfo.user = ProcessInfo.processInfo.environment["USER"] ?? "root"
frameworkInfo.name = "fairway-example"
frameworkInfo.failoverTimeout = 60
frameworkInfo.hostname = ProcessInfo.processInfo.hostName

var logger = Logger(label: "fairway.example")
logger.logLevel = .error
let configuration = SchedulerConfiguration(master: options.master, frameworkInfo: frameworkInfo,
                                           format: options.json ? .json : .protobuf)
let scheduler = Scheduler(configuration: configuration, logger: logger)
let perTask = Resources(scalars: ["cpus": options.cpus, "mem": options.mem].filter { $0.value > 0 })
var plan = TaskPlan(total: options.tasks, perTask: perTask, command: options.command)
var hostnames: [String: String] = [:]
var exitCode: Int32 = 1

scheduler.start()
eventLoop: for await event in scheduler.events {
    switch event {
    case .subscribed(let frameworkID, _, let masterInfo):
        say("subscribed as framework \(frameworkID.value) to master \(masterInfo.hostname.isEmpty ? options.master : masterInfo.hostname)")
        if plan.isDone {
            try? await scheduler.teardown()
            exitCode = 0
            break eventLoop
        }
    case .offers(let offers):
        for offer in offers {
            hostnames[offer.agentID.value] = offer.hostname
            let tasks = plan.tasks(for: offer)
            do {
                if tasks.isEmpty {
                    try await scheduler.decline([offer.id], refuseSeconds: 1)
                } else {
                    try await scheduler.launch(offer, tasks: tasks, refuseSeconds: 1)
                    say("launched \(tasks.map(\.taskID.value).joined(separator: ", ")) on \(offer.hostname)")
                }
            } catch {
                warn("could not use offer \(offer.id.value): \(error)")
                plan.launchFailed(tasks)
            }
        }
    case .update(let status):
        guard plan.record(status) else { continue }
        let host = hostnames[status.agentID.value] ?? status.agentID.value
        var line = "\(status.taskID.value) \(status.state.name) on \(host)"
        if status.state.isTerminal && status.state != .taskFinished && !status.message.isEmpty { line += " (\(status.message))" }
        say(line)
        if plan.isDone {
            do {
                try await scheduler.teardown()
            } catch {
                warn("teardown failed: \(error)")
            }
            exitCode = plan.allFinished ? 0 : 1
            say(plan.allFinished ? "all \(plan.total) tasks finished" : "some tasks did not finish")
            break eventLoop
        }
    case .failure(let failure):
        warn("agent \(failure.agentID.value) reported a failure\(failure.hasExecutorID ? " of executor \(failure.executorID.value)" : "")")
    case .error(let message):
        warn("error from the master: \(message)")
        exitCode = 1
        break eventLoop
    case .disconnected(let reason):
        warn("disconnected: \(reason)")
    case .rescind, .heartbeat, .message:
        break
    }
}
await scheduler.stop()
exit(exitCode)
