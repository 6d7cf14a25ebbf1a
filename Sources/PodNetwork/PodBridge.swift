import Foundation

/// The host's pod bridge, driven through `ip`: created idempotently by whichever agent comes first
/// (several agents on one host share it), holding the pod CIDR's first address and, as /32s, the
/// service IPs the proxy listens on.
struct PodBridge: Sendable {
    /// What `ip -d -j addr show dev NAME` tells us about the bridge.
    struct State: Sendable, Equatable {
        var isBridge: Bool
        var isUp: Bool
        /// IPv4 addresses with their prefix lengths.
        var addresses: [IPv4Address: Int]
    }

    let name: String
    let ipPath: String

    /// The bridge's state; nil when no interface has its name.
    func inspect() async throws(PodNetworkError) -> State? {
        let result = try await HostCommand(arguments: [ipPath, "-d", "-j", "addr", "show", "dev", name]).run()
        guard result.succeeded else {
            if result.errors.contains("does not exist") { return nil }
            throw HostCommand(arguments: [ipPath, "addr", "show", "dev", name]).failure("inspecting bridge \(name)", result)
        }
        return try PodBridge.parse(result.output, name: name)
    }

    /// Makes sure the bridge exists, is up and holds `address/prefixLength`.
    func ensure(address: IPv4Address, prefixLength: Int) async throws(PodNetworkError) {
        var state = try await inspect()
        if let state, state.isBridge, state.isUp, state.addresses[address] == prefixLength { return }
        if state == nil {
            let created = try await HostCommand(arguments: [ipPath, "link", "add", name, "type", "bridge", "forward_delay", "0"]).run()
            // Another agent may have created it at the same moment.
            if !created.succeeded && !created.errors.contains("File exists") {
                throw HostCommand(arguments: [ipPath, "link", "add", name, "type", "bridge"]).failure("creating bridge \(name)", created)
            }
            state = try await inspect()
        }
        guard let state, state.isBridge else {
            throw PodNetworkError(.invalidArgument,
                                  "interface \(name) exists but is not a bridge: remove it (`ip link del \(name)`) or configure another bridge name")
        }
        if state.addresses[address] != prefixLength {
            _ = try await HostCommand(arguments: [ipPath, "addr", "replace", "\(address)/\(prefixLength)", "dev", name])
                .check("adding \(address)/\(prefixLength) to bridge \(name)")
        }
        if !state.isUp {
            _ = try await HostCommand(arguments: [ipPath, "link", "set", name, "up"]).check("bringing bridge \(name) up")
        }
    }

    /// Deletes the bridge (and with it every address on it); no error when it is gone already.
    func remove() async throws(PodNetworkError) {
        let result = try await HostCommand(arguments: [ipPath, "link", "del", name]).run()
        if !result.succeeded && !result.errors.contains("Cannot find device") {
            throw HostCommand(arguments: [ipPath, "link", "del", name]).failure("deleting bridge \(name)", result)
        }
    }

    /// Adds `address/32`; no error when it is there already.
    func addHostAddress(_ address: IPv4Address) async throws(PodNetworkError) {
        let command = HostCommand(arguments: [ipPath, "addr", "add", "\(address)/32", "dev", name])
        let result = try await command.run()
        if !result.succeeded && !result.errors.contains("already assigned") && !result.errors.contains("File exists") {
            throw command.failure("adding service IP \(address) to bridge \(name)", result)
        }
    }

    /// Removes `address/32`; no error when it is not there (or the bridge is gone).
    func removeHostAddress(_ address: IPv4Address) async throws(PodNetworkError) {
        let command = HostCommand(arguments: [ipPath, "addr", "del", "\(address)/32", "dev", name])
        let result = try await command.run()
        if !result.succeeded && !result.errors.contains("Cannot assign requested address")
            && !result.errors.contains("Cannot find device") && !result.errors.contains("does not exist") {
            throw command.failure("removing service IP \(address) from bridge \(name)", result)
        }
    }

    private struct Interface: Decodable {
        struct LinkInfo: Decodable { var info_kind: String? }
        struct Address: Decodable {
            var family: String?
            var local: String?
            var prefixlen: Int?
        }
        var flags: [String]?
        var linkinfo: LinkInfo?
        var addr_info: [Address]?
    }

    static func parse(_ json: String, name: String) throws(PodNetworkError) -> State? {
        let interfaces: [Interface]
        do {
            interfaces = try JSONDecoder().decode([Interface].self, from: Data(json.utf8))
        } catch {
            throw PodNetworkError(.commandFailed, "cannot read `ip -j addr show dev \(name)` output: \(error)")
        }
        guard let interface = interfaces.first else { return nil }
        var addresses: [IPv4Address: Int] = [:]
        for entry in interface.addr_info ?? [] where entry.family == "inet" {
            if let local = entry.local.flatMap(IPv4Address.init), let length = entry.prefixlen {
                addresses[local] = length
            }
        }
        return State(isBridge: interface.linkinfo?.info_kind == "bridge",
                     isUp: interface.flags?.contains("UP") ?? false, addresses: addresses)
    }
}
