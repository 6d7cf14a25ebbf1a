/// An operator's quota for one role (Mesos UPDATE_QUOTA shape): scalar amounts by resource name.
///
/// `guarantees` are served before ordinary DRF, while the role has frameworks that want offers;
/// `limits` bound what the role's whole subtree may hold (tasks and outstanding offers). A name
/// missing from `limits` is unlimited.
public struct RoleQuota: Sendable, Equatable {
    public var guarantees: [String: Double]
    public var limits: [String: Double]

    public init(guarantees: [String: Double] = [:], limits: [String: Double] = [:]) {
        self.guarantees = guarantees
        self.limits = limits
    }

    /// A quota that guarantees nothing and limits nothing: setting it removes the role's quota.
    public var isEmpty: Bool { guarantees.isEmpty && limits.isEmpty }
}
