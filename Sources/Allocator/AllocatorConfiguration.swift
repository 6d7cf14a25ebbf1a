/// Cluster-wide knobs of the DRF allocator, fixed when the master starts.
///
/// Defaults follow Mesos so that frameworks written for Mesos see the offers they expect.
public struct AllocatorConfiguration: Sendable {
    /// Mesos default: an offer must hold at least one of these quantities (cpus 0.01 OR mem 32).
    ///
    /// Stops the allocator from handing out crumbs (an agent with 1 MB left) that no task can use
    /// and that would only cost a round trip to the framework. An empty list disables the check.
    public var minimumAllocatable: [[String: Double]]
    /// Role weights; a role without an entry has weight 1. A role of weight 2 is entitled to twice
    /// the dominant share of a role of weight 1.
    public var roleWeights: [String: Double]
    /// Resource names left out of dominant-share computation (e.g. "gpus" later); default [].
    ///
    /// Scarce resources would otherwise dominate the share of whoever holds one of them.
    public var excludedFromFairness: Set<String>

    public init(
        minimumAllocatable: [[String: Double]] = [["cpus": 0.01], ["mem": 32]],
        roleWeights: [String: Double] = [:],
        excludedFromFairness: Set<String> = []
    ) {
        self.minimumAllocatable = minimumAllocatable
        self.roleWeights = roleWeights
        self.excludedFromFairness = excludedFromFairness
    }
}
