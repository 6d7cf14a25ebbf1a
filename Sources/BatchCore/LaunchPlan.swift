/// One attempt to launch: the shell turns it into a Mesos TaskInfo (task ID = `attemptID`).
public struct LaunchPlan: Sendable, Equatable {
    public var attemptID: String
    public var jobID: JobID
    public var phase: TaskPhase
    public var index: Int
    public var cpus: Double
    public var memMB: Double
    /// True for a straggler's backup (the shell may label it; it runs the same work).
    public var speculative: Bool
    public var work: TaskWork

    public init(attemptID: String, jobID: JobID, phase: TaskPhase, index: Int, cpus: Double, memMB: Double,
                speculative: Bool = false, work: TaskWork) {
        self.attemptID = attemptID
        self.jobID = jobID
        self.phase = phase
        self.index = index
        self.cpus = cpus
        self.memMB = memMB
        self.speculative = speculative
        self.work = work
    }
}

/// What the launched task runs.
public enum TaskWork: Sendable, Equatable {
    /// The array job's command with `FAIRWAY_TASK_INDEX=index` in its environment.
    case array(command: String, index: Int)
    /// `fairway mapreduce-task map …` over one split, partitioning into `partitions` reduce partitions.
    case map(split: InputSplit, mapper: String, combiner: String?, partitions: Int)
    /// `fairway mapreduce-task reduce …` for one partition, fetching from every map output listed. With the
    /// default configuration reduces launch only when every map is done, so the list is complete.
    case reduce(partition: Int, reducer: String, output: String, mapOutputs: [MapOutput])
}
