import BatchCore
import FairwayProto

extension JobSpec {
    /// The planner's spec for a submitted one, with our defaults for what was left out; nil (with
    /// the problem) when the request names no job kind.
    init(proto: Fairway_V1_Batch_JobSpec) throws(JobAPIError) {
        let kind: JobKind
        switch proto.kind {
        case .array(let array)?:
            kind = .array(ArraySpec(command: array.command, count: Int(array.count)))
        case .mapReduce(let mr)?:
            kind = .mapReduce(MapReduceSpec(
                inputs: mr.inputs, output: mr.output, mapper: mr.mapper, reducer: mr.reducer,
                combiner: mr.hasCombiner ? mr.combiner : nil, reducers: Int(mr.reducers),
                splitSize: mr.hasSplitSize ? Int(clamping: mr.splitSize) : MapReduceSpec.defaultSplitSize,
                reduceSlowstart: mr.hasReduceSlowstart ? mr.reduceSlowstart : 0.05))
        case nil:
            throw .invalid(["give the job's kind: 'array' (a command run N times) or 'map_reduce'"])
        }
        let defaults = JobSpec(name: "", kind: kind)
        self.init(name: proto.hasName ? proto.name : "",
                  kind: kind,
                  cpus: proto.hasCpus ? proto.cpus : defaults.cpus,
                  memMB: proto.hasMem ? proto.mem : defaults.memMB,
                  maxAttempts: proto.hasMaxAttempts ? Int(proto.maxAttempts) : defaults.maxAttempts,
                  taskTimeout: proto.taskTimeoutSeconds > 0 ? proto.taskTimeoutSeconds : nil,
                  speculative: proto.hasSpeculative ? proto.speculative : defaults.speculative,
                  localityDelay: proto.hasLocalityDelaySeconds ? proto.localityDelaySeconds : defaults.localityDelay)
    }

    /// The spec as the API shows it back, defaults filled in.
    var proto: Fairway_V1_Batch_JobSpec {
        var spec = Fairway_V1_Batch_JobSpec()
        if !name.isEmpty { spec.name = name }
        switch kind {
        case .array(let array):
            spec.array.command = array.command
            spec.array.count = UInt32(clamping: array.count)
        case .mapReduce(let mr):
            spec.mapReduce.inputs = mr.inputs
            spec.mapReduce.output = mr.output
            spec.mapReduce.mapper = mr.mapper
            spec.mapReduce.reducer = mr.reducer
            if let combiner = mr.combiner { spec.mapReduce.combiner = combiner }
            spec.mapReduce.reducers = UInt32(clamping: mr.reducers)
            spec.mapReduce.splitSize = UInt64(mr.splitSize)
            spec.mapReduce.reduceSlowstart = mr.reduceSlowstart
        }
        spec.cpus = cpus
        spec.mem = memMB
        spec.maxAttempts = UInt32(clamping: maxAttempts)
        if let taskTimeout { spec.taskTimeoutSeconds = taskTimeout }
        spec.speculative = speculative
        spec.localityDelaySeconds = localityDelay
        return spec
    }
}
