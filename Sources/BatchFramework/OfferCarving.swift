import FairwayCore

extension Resources {
    /// `cpus` and `mem` taken out of these (offered) resources, reservations first, keeping each
    /// pool's key so the master finds them in the offer; nil when there is not enough.
    func carve(cpus: Double, memMB: Double) -> Resources? {
        var carved = Resources()
        for (name, amount) in [("cpus", cpus), ("mem", memMB)] {
            var missing = Scalar(amount).millis
            let keys = values.keys.filter { $0.name == name }.sorted { ($0.role == nil ? 1 : 0) < ($1.role == nil ? 1 : 0) }
            for key in keys where missing > 0 {
                guard case .scalar(let have) = values[key] else { continue }
                let take = min(have.millis, missing)
                carved.add(key, .scalar(Scalar(millis: take)))
                missing -= take
            }
            if missing > 0 { return nil }
        }
        return carved
    }
}
