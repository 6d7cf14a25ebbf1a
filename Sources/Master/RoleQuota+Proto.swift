import Allocator
import FairwayProto

extension RoleQuota {
    /// The allocator's quota from Mesos's `QuotaConfig` (amounts taken as given; validate first).
    public init(config: Fairway_V1_Quota_QuotaConfig) {
        self.init(guarantees: config.guarantees.mapValues(\.value), limits: config.limits.mapValues(\.value))
    }

    /// Mesos's `QuotaConfig` for this quota.
    public func config(role: String) -> Fairway_V1_Quota_QuotaConfig {
        var config = Fairway_V1_Quota_QuotaConfig()
        config.role = role
        config.guarantees = guarantees.mapValues(Self.scalar)
        config.limits = limits.mapValues(Self.scalar)
        return config
    }

    /// The deprecated `QuotaInfo` form: the guarantee as unreserved scalar resources.
    public func info(role: String) -> Fairway_V1_Quota_QuotaInfo {
        var info = Fairway_V1_Quota_QuotaInfo()
        info.role = role
        info.guarantee = guarantees.keys.sorted().compactMap { name in
            guard let value = guarantees[name] else { return nil }
            var resource = Fairway_V1_Resource()
            resource.name = name
            resource.type = .scalar
            resource.scalar.value = value
            return resource
        }
        return info
    }

    private static func scalar(_ value: Double) -> Fairway_V1_Value.Scalar {
        var scalar = Fairway_V1_Value.Scalar()
        scalar.value = value
        return scalar
    }
}
