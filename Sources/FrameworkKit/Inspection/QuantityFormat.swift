/// Compact human formatting of resource quantities for tables.
public enum QuantityFormat {
    /// `2`, `0.5`, `1.25`: at most three decimals (Mesos's scalar precision), no trailing zeros.
    public static func number(_ value: Double) -> String {
        guard value.isFinite else { return String(value) }
        let millis = (value * 1000).rounded()
        if millis.truncatingRemainder(dividingBy: 1000) == 0 { return String(Int64(millis / 1000)) }
        var text = String(millis / 1000)
        if let dot = text.firstIndex(of: "."), text.distance(from: dot, to: text.endIndex) > 4 {
            text = String(text[..<text.index(dot, offsetBy: 4)])
        }
        return text
    }

    /// Memory or disk given in megabytes, as Mesos counts them: `512M`, `1.5G`, `2T`.
    public static func megabytes(_ value: Double) -> String {
        if value >= 1024 * 1024 { return number(round1(value / (1024 * 1024))) + "T" }
        if value >= 1024 { return number(round1(value / 1024)) + "G" }
        return number(value.rounded()) + "M"
    }

    private static func round1(_ value: Double) -> Double { (value * 10).rounded() / 10 }
}
