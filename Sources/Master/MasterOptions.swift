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

    public init(workDir: String) { self.workDir = workDir }
}
