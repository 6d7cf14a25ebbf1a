import FairwayCore
import FairwayProto
import FrameworkKit

/// The example's decisions, free of I/O: which tasks go into an offer, and when the run is over.
struct TaskPlan {
    let total: Int
    let perTask: Resources
    let command: String
    /// Numbers of the tasks not launched yet, lowest first.
    private(set) var waiting: [Int]
    /// The latest state of every launched task, by task id.
    private(set) var states: [String: Fairway_V1_TaskState] = [:]

    init(total: Int, perTask: Resources, command: String) {
        self.total = total
        self.perTask = perTask
        self.command = command
        self.waiting = Array(stride(from: 1, through: total, by: 1))
    }

    /// As many waiting tasks as the offer holds, removed from the waiting list.
    mutating func tasks(for offer: Fairway_V1_Offer) -> [Fairway_V1_TaskInfo] {
        let count = min(waiting.count, offer.availableResources.fittingCount(of: perTask, limit: waiting.count))
        let numbers = waiting.prefix(count)
        waiting.removeFirst(count)
        return numbers.map { number in
            let id = "task-\(number)"
            states[id] = .taskStaging
            return .command(id: id, agentID: offer.agentID, command: command, resources: perTask,
                            environment: ["MESOS_TASK_ID": id])
        }
    }

    /// The launch was refused: the tasks wait for another offer.
    mutating func launchFailed(_ tasks: [Fairway_V1_TaskInfo]) {
        for task in tasks {
            states[task.taskID.value] = nil
            if let number = Int(task.taskID.value.dropFirst("task-".count)) { waiting.append(number) }
        }
        waiting.sort()
    }

    /// Records an update; true when it is news (a state change of one of our tasks).
    mutating func record(_ status: Fairway_V1_TaskStatus) -> Bool {
        let id = status.taskID.value
        guard let previous = states[id], previous != status.state, !previous.isTerminal else { return false }
        states[id] = status.state
        return true
    }

    var isDone: Bool { waiting.isEmpty && states.count == total && states.values.allSatisfy(\.isTerminal) }
    var allFinished: Bool { isDone && states.values.allSatisfy { $0 == .taskFinished } }
}
