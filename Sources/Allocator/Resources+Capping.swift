import FairwayCore

extension Resources {
    /// These resources with every scalar of `name` cut down to `millis` in total (reservations
    /// kept first); a limit of zero or less removes the name.
    func capping(_ name: String, atMillis millis: Int64) -> Resources {
        var left = Swift.max(millis, 0)
        let keys = values.keys.filter { $0.name == name }.sorted { ($0.role != nil ? 0 : 1, $0) < ($1.role != nil ? 0 : 1, $1) }
        var result = self
        for key in keys {
            guard case .scalar(let have) = values[key] else { continue }
            let keep = Swift.min(have.millis, left)
            left -= keep
            result.subtract(key, .scalar(Scalar(millis: have.millis - keep)))
        }
        return result
    }
}
