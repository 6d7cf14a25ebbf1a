import Foundation

/// Durations as people type them: `90s`, `30m`, `1.5h`, `1d`, or parts added up like `1h30m`.
/// One grammar for the master's flags and `/fairness?since=`, and for `fairway fairness --since`,
/// so what the command line accepts the master accepts too.
public enum DurationText {
    private static let units: [Character: Double] = ["s": 1, "m": 60, "h": 3600, "d": 86400]

    /// Seconds in `text`, or nil when it is not a non-negative duration. With
    /// `bareNumberIsSeconds`, a number without a unit is taken as seconds.
    public static func seconds(_ text: String, bareNumberIsSeconds: Bool = true) -> Double? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let value = Double(trimmed) {
            return bareNumberIsSeconds && value.isFinite && value >= 0 ? value : nil
        }
        var total = 0.0
        var number = ""
        var parts = 0
        for character in trimmed {
            if character.isASCII, character.isNumber || character == "." {
                number.append(character)
            } else if let unit = units[character], let value = Double(number), value.isFinite {
                total += value * unit
                number = ""
                parts += 1
            } else {
                return nil
            }
        }
        return number.isEmpty && parts > 0 ? total : nil
    }
}
