/// How a master is started: `fairway master` flags, or set by `fairway dev` and tests.
public struct MasterOptions: Sendable {
    public var ip: String = "0.0.0.0"
    public var port: Int = 5050
    public var hostname: String?
    public var workDir: String
    public var heartbeatInterval: Double = 15
    public var agentRemovalTimeout: Double = 75
    public var agentReregisterTimeout: Double = 600
    /// Events within this window are answered by one allocation pass.
    public var allocationBatchWindow: Double = 0.005
    /// Role weights applied at start (`--weights eng=2,ops=0.5`). Weights set later with
    /// UPDATE_WEIGHTS are kept in the registry and override these at the next start.
    public var roleWeights: [String: Double] = [:]
    /// Resource names left out of dominant shares (`--fair-sharing-excluded-resource-names gpus`),
    /// so that a scarce resource does not dominate the share of whoever holds one unit of it.
    public var fairSharingExcludedResourceNames: Set<String> = []
    /// Seconds after which an unanswered offer is rescinded; nil (the default, as in Mesos) keeps
    /// offers until the framework answers. Setting it stops frameworks from hoarding offers.
    public var offerTimeout: Double?
    /// Seconds between samples of the fairness history.
    public var fairnessSampleInterval: Double = 5
    /// Seconds of fairness history kept in the registry; older samples are deleted.
    public var fairnessRetention: Double = 24 * 3600

    public init(workDir: String) { self.workDir = workDir }
}

extension MasterOptions {
    /// Why `role` is not a valid role name (Mesos rules), or nil; for checking flags like `--weights`.
    public static func problem(withRole role: String) -> String? {
        RoleValidation.problem(withRole: role)
    }
}
