import Glibc

/// Whether pod networking works on this host, so the agent can fall back to host networking (with
/// allocated ports) and say why.
public enum PodNetworkSupport {
    /// The outcome of a probe: `reason` says, for an operator, why pod networking is off.
    public struct Report: Sendable, Equatable {
        public var isAvailable: Bool
        public var reason: String?

        public static let available = Report(isAvailable: true, reason: nil)
        public static func unavailable(_ reason: String) -> Report { Report(isAvailable: false, reason: reason) }
    }

    /// CAP_NET_ADMIN (links, addresses) and CAP_SYS_ADMIN (`ip netns add` mounts).
    static let requiredCapabilities: [(bit: UInt64, name: String)] = [(12, "CAP_NET_ADMIN"), (21, "CAP_SYS_ADMIN")]

    /// Checks privileges, `ip`, and that a network namespace and a bridge can be created here (the
    /// probe objects are removed again; an existing configured bridge is left alone).
    public static func probe(configuration: PodNetworkConfiguration = PodNetworkConfiguration()) async -> Report {
        do throws(PodNetworkError) {
            try configuration.validate()
        } catch {
            return .unavailable(error.message)
        }
        guard access(configuration.ipPath, X_OK) == 0 else {
            return .unavailable("\(configuration.ipPath) is missing: install iproute2 (`apt-get install iproute2`)")
        }
        let missing = missingCapabilities()
        guard missing.isEmpty else {
            return .unavailable("pod networking needs root (\(missing.joined(separator: " and ")) missing for uid \(geteuid())): run the agent as root")
        }
        let tag = "\(getpid() % 100_000)"
        let namespace = "fwprobe-\(tag)"
        let ip = configuration.ipPath
        do throws(PodNetworkError) {
            _ = try await HostCommand(arguments: [ip, "netns", "add", namespace]).check("creating a network namespace")
            _ = try await HostCommand(arguments: [ip, "netns", "del", namespace]).check("deleting a network namespace")
        } catch {
            _ = try? await HostCommand(arguments: [ip, "netns", "del", namespace]).run()
            return .unavailable("network namespaces are not available: \(error.message)")
        }
        do throws(PodNetworkError) {
            let bridge = PodBridge(name: configuration.bridgeName, ipPath: ip)
            if let state = try await bridge.inspect() {
                return state.isBridge ? .available
                    : .unavailable("interface \(configuration.bridgeName) exists but is not a bridge: remove it or configure another bridge name")
            }
            let probe = PodBridge(name: "fwpb\(tag)", ipPath: ip)
            _ = try await HostCommand(arguments: [ip, "link", "add", probe.name, "type", "bridge"]).check("creating a bridge")
            try await probe.remove()
        } catch {
            return .unavailable("bridges cannot be created: \(error.message)")
        }
        return .available
    }

    /// The required capabilities this process lacks (from `CapEff` in `/proc/self/status`).
    static func missingCapabilities() -> [String] {
        guard let status = ClaimFiles.read("/proc/self/status"),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("CapEff:") }),
              let mask = UInt64(line.dropFirst("CapEff:".count).trimmingCharacters(), radix: 16) else {
            return geteuid() == 0 ? [] : requiredCapabilities.map(\.name)
        }
        return requiredCapabilities.filter { mask & (1 << $0.bit) == 0 }.map(\.name)
    }
}

extension Substring {
    fileprivate func trimmingCharacters() -> String { String(self).trimmingWhitespace }
}
