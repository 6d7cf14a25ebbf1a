/// The pure core of the service proxy: from the wanted rules and what is set up now, the steps to
/// take. No I/O, so it is tested alone; `ServiceProxy` carries the steps out.
struct ServiceProxyPlan: Sendable, Equatable {
    /// Service IPs to put on the bridge (before listening on them).
    var addressesToAdd: [IPv4Address] = []
    /// New listeners with their endpoints.
    var listenersToOpen: [ServiceAddress: [ServiceEndpoint]] = [:]
    /// New endpoint lists for listeners that stay (open connections are not touched).
    var endpointUpdates: [ServiceAddress: [ServiceEndpoint]] = [:]
    var listenersToClose: [ServiceAddress] = []
    /// Service IPs no rule uses any more (removed after their listeners close).
    var addressesToRemove: [IPv4Address] = []
    /// Which service each wanted address belongs to, for logs and problems.
    var owners: [ServiceAddress: String] = [:]
    /// Rules that cannot be served at all.
    var problems: [ServiceProxyProblem] = []

    static func make(rules: [ServiceRule], listening: Set<ServiceAddress>, addresses: Set<IPv4Address>) -> ServiceProxyPlan {
        var plan = ServiceProxyPlan()
        var wanted: [ServiceAddress: [ServiceEndpoint]] = [:]
        for rule in rules {
            let address = rule.address
            guard rule.protocol == .tcp else {
                plan.problems.append(ServiceProxyProblem(service: rule.qualifiedName, address: address, error: PodNetworkError(
                    .proxyFailed, "\(rule.protocol.rawValue) is not proxied: the Fairway service proxy handles TCP only")))
                continue
            }
            guard (1...65535).contains(rule.port) else {
                plan.problems.append(ServiceProxyProblem(service: rule.qualifiedName, address: address, error: PodNetworkError(
                    .invalidArgument, "port \(rule.port) is not a TCP port (1-65535)")))
                continue
            }
            if let owner = plan.owners[address] {
                plan.problems.append(ServiceProxyProblem(service: rule.qualifiedName, address: address, error: PodNetworkError(
                    .proxyFailed, "\(address) is already used by service \(owner); this rule is ignored")))
                continue
            }
            plan.owners[address] = rule.qualifiedName
            wanted[address] = rule.endpoints.filter { (1...65535).contains($0.port) }
        }
        let wantedIPs = Set(wanted.keys.map(\.ip))
        plan.addressesToAdd = wantedIPs.subtracting(addresses).sorted()
        for (address, endpoints) in wanted {
            if listening.contains(address) {
                plan.endpointUpdates[address] = endpoints
            } else {
                plan.listenersToOpen[address] = endpoints
            }
        }
        plan.listenersToClose = listening.subtracting(wanted.keys).sorted()
        plan.addressesToRemove = addresses.subtracting(wantedIPs).sorted()
        return plan
    }
}
