import ArgumentParser

/// The command tree. The process entry point is `Entry`, which hands the internal launcher modes
/// over before this is parsed.
struct Fairway: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fairway",
        abstract: "Fairway: a cluster manager that shares machines between frameworks with Dominant Resource Fairness.",
        discussion: """
        Start a local cluster with `fairway dev`, then point a Mesos framework (pymesos, the Swift \
        FrameworkKit) at http://127.0.0.1:5050. The inspection commands read the master given by \
        --master, or $FAIRWAY_MASTER, or 127.0.0.1:5050.
        """,
        subcommands: [
            MasterCommand.self, AgentCommand.self, BatchCommand.self, PodsCommand.self, DevCommand.self,
            JobCommand.self, MapReduceTaskCommand.self,
            AgentsCommand.self, FrameworksCommand.self, TasksCommand.self, OffersCommand.self,
            LogsCommand.self, StateCommand.self,
            FairnessCommand.self, SimCommand.self,
            LaunchCommand.self,
        ]
    )
}
