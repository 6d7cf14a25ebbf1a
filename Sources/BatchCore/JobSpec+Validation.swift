import FairwayCore

/// The resources of the biggest agent the shell knows of, so that a job whose tasks can never fit is
/// refused at submit time instead of waiting forever.
public struct AgentCapacity: Sendable, Equatable {
    public var cpus: Double
    public var memMB: Double

    public init(cpus: Double, memMB: Double) {
        self.cpus = cpus
        self.memMB = memMB
    }
}

extension JobSpec {
    /// The largest array job accepted; bigger ones should be split by the user (memory is per task).
    public static let maxArrayCount = 1_000_000

    /// User-facing problems with the spec alone (no splits, no cluster knowledge); empty = acceptable.
    public func validate() -> [String] {
        validate(splits: nil, largestAgent: nil)
    }

    /// User-facing problems with this spec, each a sentence saying what to change; empty = acceptable.
    /// - Parameters:
    ///   - splits: the map/reduce input splits the shell computed; a job whose inputs hold no data is
    ///     refused (nil skips that check). Ignored for array jobs.
    ///   - largestAgent: when given, tasks that fit on no agent are refused.
    public func validate(splits: [InputSplit]?, largestAgent: AgentCapacity? = nil) -> [String] {
        var problems: [String] = []
        if !cpus.isFinite || Scalar(cpus).millis <= 0 {
            problems.append("cpus must be greater than 0 (at least 0.001), got \(cpus)")
        }
        if !memMB.isFinite || Scalar(memMB).millis <= 0 {
            problems.append("mem must be greater than 0 MB, got \(memMB)")
        }
        if maxAttempts < 1 {
            problems.append("max attempts must be at least 1, got \(maxAttempts)")
        }
        if let taskTimeout, !(taskTimeout > 0) || !taskTimeout.isFinite {
            problems.append("task timeout must be a positive number of seconds, got \(taskTimeout)")
        }
        if !(localityDelay >= 0) || !localityDelay.isFinite {
            problems.append("locality delay must be 0 or more seconds, got \(localityDelay)")
        }
        switch kind {
        case .array(let array):
            if array.command.trimmedIsEmpty { problems.append("the command must not be empty") }
            if array.count < 1 { problems.append("count must be at least 1, got \(array.count)") }
            if array.count > Self.maxArrayCount {
                problems.append("count must be at most \(Self.maxArrayCount), got \(array.count); submit several jobs")
            }
        case .mapReduce(let mr):
            if mr.inputs.isEmpty || mr.inputs.allSatisfy(\.trimmedIsEmpty) {
                problems.append("give at least one input path")
            }
            if mr.output.trimmedIsEmpty { problems.append("the output directory must not be empty") }
            if mr.mapper.trimmedIsEmpty { problems.append("the mapper command must not be empty") }
            if mr.reducer.trimmedIsEmpty { problems.append("the reducer command must not be empty") }
            if let combiner = mr.combiner, combiner.trimmedIsEmpty {
                problems.append("the combiner command must not be empty when given")
            }
            if mr.reducers < 1 { problems.append("reducers must be at least 1, got \(mr.reducers)") }
            if mr.splitSize < 1 { problems.append("split size must be at least 1 byte, got \(mr.splitSize)") }
            if !(0...1).contains(mr.reduceSlowstart) {
                problems.append("reduce slowstart must be a fraction between 0 and 1, got \(mr.reduceSlowstart)")
            }
            if let splits, splits.isEmpty {
                problems.append("the input holds no data (every input file is empty); give at least one non-empty file")
            }
        }
        if let largestAgent, cpus > largestAgent.cpus || memMB > largestAgent.memMB {
            problems.append("each task needs cpus \(Scalar(cpus)) and mem \(Scalar(memMB)) MB but the largest agent "
                + "has cpus \(Scalar(largestAgent.cpus)) and mem \(Scalar(largestAgent.memMB)) MB; ask for less")
        }
        return problems
    }
}

extension String {
    var trimmedIsEmpty: Bool { allSatisfy { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" } }
}
