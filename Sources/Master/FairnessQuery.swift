import FairwayCore
import Foundation

/// The time range of a fairness history request: `GET /fairness?since=30m` or
/// `?since=<unix seconds>&until=<unix seconds or duration ago>`.
public struct FairnessQuery: Sendable, Equatable {
    /// Start of the history (unix seconds); nil means no history, only the current report.
    public var since: Double?
    /// End of the history (unix seconds); defaults to now when `since` is given.
    public var until: Double?

    public init(since: Double? = nil, until: Double? = nil) {
        self.since = since
        self.until = until
    }

    /// Parses `since` and `until`: a duration with a unit (`90s`, `30m`, `2h`, `1d`, meaning that
    /// long before `now`) or unix seconds. Returns a message for a 400 otherwise.
    public static func parse(_ parameters: [String: String], now: Double) -> Result<FairnessQuery, PolicyProblem> {
        var query = FairnessQuery()
        for name in ["since", "until"] {
            guard let text = parameters[name] else { continue }
            guard let time = time(text, now: now) else {
                return .failure(PolicyProblem(.invalid,
                    "Invalid '\(name)' value '\(text)': use a duration like 30s, 30m, 2h or 1d, or unix seconds"))
            }
            if name == "since" { query.since = time } else { query.until = time }
        }
        if query.until != nil && query.since == nil {
            return .failure(PolicyProblem(.invalid, "'until' needs 'since': give the start of the history range too"))
        }
        if let since = query.since, let until = query.until, until < since {
            return .failure(PolicyProblem(.invalid, "'until' (\(until)) is before 'since' (\(since))"))
        }
        return .success(query)
    }

    /// A point in time: a duration with a unit counts back from `now`; a bare number is unix seconds.
    static func time(_ text: String, now: Double) -> Double? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let unix = Double(trimmed) {
            return unix.isFinite && unix >= 0 ? unix : nil
        }
        return DurationText.seconds(trimmed, bareNumberIsSeconds: false).map { now - $0 }
    }
}
