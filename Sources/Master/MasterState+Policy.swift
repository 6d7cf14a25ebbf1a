import Allocator
import FairwayCore
import FairwayProto

/// Operator policy: role weights (UPDATE_WEIGHTS) and quotas (UPDATE_QUOTA), checked the way Mesos
/// checks them, applied to the allocator and persisted.
extension MasterState {
    /// Applies the weights and quotas kept in the registry. Called once at start, after the
    /// `--weights` flag took effect through the allocator configuration, so persisted weights win.
    public mutating func restorePolicy(weights: [String: Double], quotas: [String: RoleQuota]) {
        for (role, weight) in weights { allocator.setWeight(role: role, weight: weight) }
        for (role, quota) in quotas { allocator.setQuota(role: role, quota) }
        allocationNeeded = true
    }

    /// UPDATE_WEIGHTS: every weight must be positive and finite and every role valid, or nothing
    /// changes.
    public mutating func updateWeights(_ infos: [Fairway_V1_WeightInfo]) -> Result<[MasterAction], PolicyProblem> {
        for info in infos {
            if let problem = RoleValidation.problem(withRole: info.role) {
                return .failure(PolicyProblem(.invalid, "Invalid weight for role '\(info.role)': \(problem)"))
            }
            guard info.weight.isFinite, info.weight > 0 else {
                return .failure(PolicyProblem(.invalid, "Invalid weight \(info.weight) for role '\(info.role)': weights must be positive numbers"))
            }
        }
        var actions: [MasterAction] = []
        for info in infos {
            allocator.setWeight(role: info.role, weight: info.weight)
            actions.append(.persist(.setWeight(role: info.role, weight: info.weight)))
        }
        allocationNeeded = true
        return .success(actions)
    }

    /// UPDATE_QUOTA: all configs valid or none applied (400); unless `force`, the guarantees of
    /// all roles must fit in the cluster (409). A config without guarantees and limits removes the
    /// role's quota.
    public mutating func updateQuota(_ update: Fairway_V1_Master_Call.UpdateQuota) -> Result<[MasterAction], PolicyProblem> {
        let total = allocator.totalResources()
        let nonScalar = Set(total.values.compactMap { key, value -> String? in
            if case .scalar = value { return nil }
            return key.name
        })
        let updates: [(role: String, quota: RoleQuota)]
        switch QuotaValidation.validate(update.quotaConfigs, nonScalarNames: nonScalar) {
        case .failure(let problem): return .failure(problem)
        case .success(let value): updates = value
        }
        if !update.force {
            var proposed = allocator.roleQuotas
            for (role, quota) in updates { proposed[role] = quota.isEmpty ? nil : quota }
            if let problem = QuotaValidation.overcommitment(of: proposed, total: total.scalarTotals) {
                return .failure(PolicyProblem(.conflict, problem))
            }
        }
        var actions: [MasterAction] = []
        for (role, quota) in updates {
            allocator.setQuota(role: role, quota)
            actions.append(.persist(quota.isEmpty ? .removeQuota(role: role) : .setQuota(quota.config(role: role))))
        }
        allocationNeeded = true
        return .success(actions)
    }

    /// GET_QUOTA: every role's quota as `configs`, and the guarantees in the older `infos` form.
    public var quotaStatus: Fairway_V1_Quota_QuotaStatus {
        var status = Fairway_V1_Quota_QuotaStatus()
        let quotas = allocator.roleQuotas
        for role in quotas.keys.sorted() {
            guard let quota = quotas[role] else { continue }
            status.configs.append(quota.config(role: role))
            status.infos.append(quota.info(role: role))
        }
        return status
    }
}
