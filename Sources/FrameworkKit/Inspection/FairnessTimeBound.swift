import FairwayCore
import Foundation

/// One end of a fairness-history range, as a user types it: a duration ago (`90s`, `30m`, `2h`,
/// `1d`, `1h30m`), unix seconds (`1732570000`), or an ISO 8601 time (`2025-11-25T22:00:00Z`).
///
/// Durations are sent to the master as written, so "30m" means thirty minutes before the
/// master's clock, not this machine's; dates are sent as unix seconds.
public struct FairnessTimeBound: Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// Seconds before now.
        case ago(Double)
        /// An absolute unix time in seconds.
        case at(Double)
    }

    public var kind: Kind
    /// The text the master receives in the query (`since=…`).
    public var queryValue: String

    public init(kind: Kind) {
        self.kind = kind
        switch kind {
        case .ago(let seconds): queryValue = Self.durationText(seconds)
        case .at(let time): queryValue = QuantityFormat.number(time)
        }
    }

    /// Parses what a user typed; throws an error saying which forms are understood.
    public init(parsing text: String) throws {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let seconds = DurationText.seconds(trimmed, bareNumberIsSeconds: false) {
            self.init(kind: .ago(seconds), queryValue: trimmed)
        } else if let time = Double(trimmed), time.isFinite, time >= 0 {
            self.init(kind: .at(time), queryValue: trimmed)
        } else if let date = Self.parseDate(trimmed) {
            self.init(kind: .at(date.timeIntervalSince1970))
        } else {
            throw InspectionError("'\(text)' is not a time: give a duration ago (90s, 30m, 2h, 1d), unix seconds, or an ISO 8601 time like 2025-11-25T22:00:00Z")
        }
    }

    private init(kind: Kind, queryValue: String) {
        self.kind = kind
        self.queryValue = queryValue
    }

    /// The unix time this bound names, measured against `now` (unix seconds).
    public func resolve(now: Double) -> Double {
        switch kind {
        case .ago(let seconds): now - seconds
        case .at(let time): time
        }
    }

    public var description: String { queryValue }

    static func durationText(_ seconds: Double) -> String {
        if seconds >= 3600, seconds.truncatingRemainder(dividingBy: 3600) == 0 { return "\(Int(seconds / 3600))h" }
        if seconds >= 60, seconds.truncatingRemainder(dividingBy: 60) == 0 { return "\(Int(seconds / 60))m" }
        return QuantityFormat.number(seconds) + "s"
    }

    private static func parseDate(_ text: String) -> Date? {
        let withFraction = ISO8601DateFormatter()
        withFraction.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return ISO8601DateFormatter().date(from: text) ?? withFraction.date(from: text)
    }
}
