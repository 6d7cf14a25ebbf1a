/// An extra line of a pod's `/etc/hosts` (Kubernetes `hostAliases`).
public struct PodHostAlias: Sendable, Equatable {
    public var ip: IPv4Address
    public var hostnames: [String]

    public init(ip: IPv4Address, hostnames: [String]) {
        self.ip = ip
        self.hostnames = hostnames
    }
}

/// The `/etc/hosts` a pod's processes see: localhost, the pod's own hostname on its IP, aliases.
enum PodHostsFile {
    static func render(podID: String, ip: IPv4Address, hostname: String, aliases: [PodHostAlias]) -> String {
        var lines = [
            "# Written by Fairway for pod \(podID).",
            "127.0.0.1\tlocalhost",
            "::1\tlocalhost ip6-localhost ip6-loopback",
            "\(ip)\t\(hostname)",
        ]
        for alias in aliases where !alias.hostnames.isEmpty {
            lines.append("\(alias.ip)\t\(alias.hostnames.joined(separator: " "))")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Whether `name` can stand in a hosts file (no whitespace, no `#`, not empty).
    static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.count <= 253 && !name.contains { $0.isWhitespace || $0 == "#" }
    }
}
