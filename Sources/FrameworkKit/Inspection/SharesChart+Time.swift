import Foundation

extension SharesChart {
    /// Tick times for an axis from `start` to `end` (unix seconds): round local clock times
    /// (every 5 minutes, every hour, …), about six of them.
    public static func timeTicks(from start: Double, to end: Double, timeZone: TimeZone) -> (times: [Double], step: Double) {
        let steps: [Double] = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400, 172_800, 604_800]
        let span = max(end - start, 1)
        let step = steps.first { span / $0 <= 7 } ?? (span / 6).rounded(.up)
        let offset = Double(timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: start)))
        var tick = ((start + offset) / step).rounded(.up) * step - offset
        var times: [Double] = []
        while tick <= end + 1e-6 {
            times.append(tick)
            tick += step
        }
        return (times, step)
    }

    /// `14:05` in the chart's time zone; `14:05:30` when ticks are less than a minute apart.
    public static func clockLabel(_ time: Double, seconds: Bool, timeZone: TimeZone) -> String {
        let local = Int((time + Double(timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: time)))).rounded(.down))
        let ofDay = ((local % 86400) + 86400) % 86400
        let hhmm = two(ofDay / 3600) + ":" + two(ofDay % 3600 / 60)
        return seconds ? hhmm + ":" + two(ofDay % 60) : hhmm
    }

    /// `2025-11-25 22:40` in the chart's time zone.
    static func dateLabel(_ time: Double, timeZone: TimeZone) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = timeZone
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        return formatter.string(from: Date(timeIntervalSince1970: time))
    }

    /// `UTC`, `UTC+01:00`, `UTC-05:30`.
    static func zoneLabel(_ timeZone: TimeZone, at time: Double) -> String {
        let seconds = timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: time))
        guard seconds != 0 else { return "UTC" }
        let magnitude = abs(seconds)
        return "UTC" + (seconds < 0 ? "-" : "+") + two(magnitude / 3600) + ":" + two(magnitude % 3600 / 60)
    }

    private static func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
}
