import KubeAPI
import Logging
import PodNetwork

/// This machine's share of the service network: the user-space proxy that spreads connections to
/// each service's ClusterIP:port over its ready endpoints, and the cluster DNS that resolves
/// `NAME.NAMESPACE.svc.cluster.local` to the ClusterIP — both fed from the API's services and
/// endpoints. Without pod networking (not root, no bridge) it logs why and does nothing: services
/// keep their ClusterIPs and endpoints, but nothing on this machine answers them.
actor ServiceNetworkController {
    let store: KubeStore
    let options: PodOptions
    let logger: Logger
    var services: [String: JSON] = [:]
    var endpoints: [String: JSON] = [:]
    let wakeup = Wakeup()

    init(store: KubeStore, options: PodOptions, logger: Logger) {
        self.store = store
        self.options = options
        self.logger = logger
    }

    func run() async {
        guard let podCIDR = IPv4Subnet(options.podCIDR), let serviceCIDR = IPv4Subnet(options.serviceCIDR) else {
            logger.error("service network off: --pod-cidr \(options.podCIDR) or --service-cidr \(options.serviceCIDR) is not a CIDR")
            return
        }
        let configuration = PodNetworkConfiguration(bridgeName: options.bridgeName, podCIDR: podCIDR)
        let support = await PodNetworkSupport.probe(configuration: configuration)
        guard support.isAvailable else {
            logger.warning("service network off on this machine: \(support.reason ?? "pod networking is unavailable"); ClusterIPs are allocated but not served here")
            return
        }
        let proxy = ServiceProxy(configuration: configuration, serviceCIDR: serviceCIDR, logger: logger)
        var dns: ClusterDNS?
        do {
            try await PodSandboxNetwork(configuration: configuration, logger: logger).ensureBridge()
            let candidate = ClusterDNS(configuration: .init(listenAddress: configuration.bridgeAddress,
                                                            stateDirectory: options.workDir + "/cluster-dns"), logger: logger)
            try await candidate.start()
            dns = candidate
        } catch {
            logger.error("cluster DNS off: \(error)")
        }
        let store = self.store, logger = self.logger, clusterDNS = dns
        let watches = [
            Task { await ObjectWatch(store: store, resource: .services, logger: logger).run(
                from: nil, resync: { await self.resync(.services, $0) }, change: { await self.changed(.services, $0) }) },
            Task { await ObjectWatch(store: store, resource: .endpoints, logger: logger).run(
                from: nil, resync: { await self.resync(.endpoints, $0) }, change: { await self.changed(.endpoints, $0) }) },
        ]
        await wakeup.run(watches: watches) {
            let report = await proxy.apply(self.rules())
            for problem in report.problems { logger.warning("service proxy: \(problem)") }
            do {
                try await clusterDNS?.apply(records: self.records())
            } catch {
                logger.error("cluster DNS records not written: \(error)")
            }
        }
        await proxy.shutdown()
        await clusterDNS?.shutdown()
    }

    enum Table { case services, endpoints }

    func resync(_ table: Table, _ items: [JSON]) {
        let objects = Dictionary(items.compactMap { item in item.namespacedName.map { ($0, item) } }, uniquingKeysWith: { _, last in last })
        switch table {
        case .services: services = objects
        case .endpoints: endpoints = objects
        }
        wakeup.signal()
    }

    func changed(_ table: Table, _ event: WatchEvent) {
        guard let key = event.object.namespacedName else { return }
        let object = event.type == .deleted ? nil : event.object
        switch table {
        case .services: services[key] = object
        case .endpoints: endpoints[key] = object
        }
        wakeup.signal()
    }

    /// One rule per service port with a ClusterIP, its endpoints the ready addresses of the
    /// service's Endpoints with the matching port (by name; the only port when unnamed).
    func rules() -> [ServiceRule] {
        var rules: [ServiceRule] = []
        for (key, service) in services.sorted(by: { $0.key < $1.key }) {
            guard let text = service.string("spec", "clusterIP"), let ip = IPv4Address(text),
                  let namespace = service.string("metadata", "namespace"), let name = service.string("metadata", "name") else { continue }
            let subsets = endpoints[key]?["subsets"]?.arrayValue ?? []
            for port in service[path: "spec", "ports"]?.arrayValue ?? [] {
                guard let number = port["port"]?.intValue else { continue }
                let portName = port.string("name") ?? ""
                var backends: [ServiceEndpoint] = []
                for subset in subsets {
                    let ports = subset["ports"]?.arrayValue ?? []
                    guard let target = (ports.first { ($0.string("name") ?? "") == portName } ?? (ports.count == 1 ? ports.first : nil))?["port"]?.intValue
                    else { continue }
                    for address in subset["addresses"]?.arrayValue ?? [] {
                        if let text = address.string("ip"), let ip = IPv4Address(text) { backends.append(ServiceEndpoint(ip: ip, port: Int(target))) }
                    }
                }
                let proto = ServiceProtocol(rawValue: port.string("protocol") ?? "TCP") ?? .tcp
                rules.append(ServiceRule(serviceName: name, namespace: namespace, clusterIP: ip, port: Int(number), protocol: proto,
                                         endpoints: backends))
            }
        }
        return rules
    }

    /// `NAME.NAMESPACE.svc.cluster.local` → ClusterIP for every service that has one.
    func records() -> [String: String] {
        var records: [String: String] = [:]
        for service in services.values {
            guard let ip = service.string("spec", "clusterIP"), IPv4Address(ip) != nil,
                  let namespace = service.string("metadata", "namespace"), let name = service.string("metadata", "name") else { continue }
            records[ClusterDNS.serviceName(name, namespace: namespace)] = ip
        }
        return records
    }
}
