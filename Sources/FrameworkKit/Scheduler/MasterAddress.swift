import Foundation

/// Master addresses as users write them and as masters hand them out in redirects.
public enum MasterAddress {
    /// `host:port` from `host:port`, `http://host:port/anything`, `//host:port/path` (the form of
    /// Mesos's 307 `Location`), or a bare `host` (port 5050 is added, as pymesos does).
    /// Returns nil for an empty string.
    public static func normalize(_ text: String) -> String? {
        var rest = Substring(text.trimmingCharacters(in: .whitespacesAndNewlines))
        if let scheme = rest.range(of: "://") {
            rest = rest[scheme.upperBound...]
        } else if rest.hasPrefix("//") {
            rest = rest.dropFirst(2)
        }
        if let slash = rest.firstIndex(of: "/") { rest = rest[..<slash] }
        guard !rest.isEmpty else { return nil }
        let hasPort = rest.hasPrefix("[") ? rest.contains("]:") : rest.contains(":")
        return hasPort ? String(rest) : "\(rest):5050"
    }
}
