import KubeAPI
import Logging
import PodCore

/// Keeps each service's Endpoints object equal to the pods its selector matches — ready pods as
/// `addresses`, the others as `notReadyAddresses` — so the service proxy knows where to send
/// connections. Services without a selector are left alone (their endpoints are the user's).
actor EndpointsController {
    let store: KubeStore
    let writes: StoreWrites
    let logger: Logger
    var services: [String: JSON] = [:]
    /// Pods by namespace, then uid.
    var pods: [String: [String: JSON]] = [:]
    var dirty: Set<String> = []
    let wakeup = Wakeup()

    init(store: KubeStore, writes: StoreWrites, logger: Logger) {
        self.store = store
        self.writes = writes
        self.logger = logger
    }

    func run() async {
        let store = self.store, logger = self.logger
        let watches = [
            Task { await ObjectWatch(store: store, resource: .services, logger: logger).run(
                from: nil, resync: { await self.resyncServices($0) }, change: { await self.serviceChanged($0) }) },
            Task { await ObjectWatch(store: store, resource: .pods, logger: logger).run(
                from: nil, resync: { await self.resyncPods($0) }, change: { await self.podChanged($0) }) },
        ]
        await wakeup.run(watches: watches) { await self.reconcileDirty() }
    }

    private func markDirty(_ key: String) {
        dirty.insert(key)
        wakeup.signal()
    }

    func resyncServices(_ items: [JSON]) {
        services = Dictionary(items.compactMap { service in service.namespacedName.map { ($0, service) } }, uniquingKeysWith: { _, last in last })
        for key in services.keys { markDirty(key) }
    }

    func serviceChanged(_ event: WatchEvent) {
        guard let key = event.object.namespacedName else { return }
        if event.type == .deleted {
            services[key] = nil
            guard let namespace = event.object.string("metadata", "namespace"), let name = event.object.string("metadata", "name"),
                  !event.object.stringMap("spec", "selector").isEmpty else { return }
            writes.write("removal of the endpoints of \(key)") { store in
                _ = try store.delete(.endpoints, namespace: namespace, name: name)
            }
        } else {
            services[key] = event.object
            markDirty(key)
        }
    }

    func resyncPods(_ items: [JSON]) {
        pods = [:]
        for pod in items { podChanged(WatchEvent(type: .added, object: pod), quiet: true) }
        for key in services.keys { markDirty(key) }
    }

    func podChanged(_ event: WatchEvent) { podChanged(event, quiet: false) }

    private func podChanged(_ event: WatchEvent, quiet: Bool) {
        guard let namespace = event.object.string("metadata", "namespace"), let uid = event.object.string("metadata", "uid") else { return }
        let before = pods[namespace]?[uid]
        pods[namespace, default: [:]][uid] = event.type == .deleted ? nil : event.object
        guard !quiet else { return }
        let labels = [before, event.object].compactMap { $0?.stringMap("metadata", "labels") }
        for (key, service) in services where key.hasPrefix(namespace + "/") {
            let selector = service.stringMap("spec", "selector")
            guard !selector.isEmpty else { continue }
            if labels.contains(where: { Self.matches(selector, $0) }) { markDirty(key) }
        }
    }

    static func matches(_ selector: [String: String], _ labels: [String: String]) -> Bool {
        selector.allSatisfy { labels[$0.key] == $0.value }
    }

    private func reconcileDirty() async {
        while let key = dirty.popFirst() {
            guard let service = services[key] else { continue }
            await reconcile(service)
        }
    }

    private func reconcile(_ service: JSON) async {
        let selector = service.stringMap("spec", "selector")
        guard !selector.isEmpty, let namespace = service.string("metadata", "namespace"),
              let name = service.string("metadata", "name") else { return }
        let matching = (pods[namespace] ?? [:]).values.filter { Self.matches(selector, $0.stringMap("metadata", "labels")) }
        let subsets = EndpointsBuilder.subsets(ports: Self.ports(of: service), pods: matching.map(Self.view))
        let endpoints: JSON = [
            "apiVersion": "v1", "kind": "Endpoints",
            "metadata": ["name": .string(name), "namespace": .string(namespace),
                         "labels": service[path: "metadata", "labels"] ?? .emptyObject],
            "subsets": .array(subsets.map(Self.json)),
        ]
        do {
            let current = try? await store.get(.endpoints, namespace: namespace, name: name)
            if let current {
                guard current["subsets"] != endpoints["subsets"] else { return }
                _ = try await store.modify(.endpoints, namespace: namespace, name: name) { object in
                    object["subsets"] = endpoints["subsets"]
                }
            } else {
                _ = try await store.create(.endpoints, namespace: namespace, object: endpoints)
            }
        } catch {
            logger.warning("cannot write the endpoints of service \(namespace)/\(name): \(error)")
        }
    }

    static func ports(of service: JSON) -> [EndpointsBuilder.ServicePort] {
        (service[path: "spec", "ports"]?.arrayValue ?? []).compactMap { port in
            guard let number = port["port"]?.intValue else { return nil }
            let target: EndpointsBuilder.ServicePort.Target
            if let named = port["targetPort"]?.stringValue, Int(named) == nil {
                target = .name(named)
            } else {
                target = .number(Int(port["targetPort"]?.intValue ?? port["targetPort"]?.stringValue.flatMap { Int64($0) } ?? number))
            }
            return EndpointsBuilder.ServicePort(name: port.string("name"), port: Int(number), target: target,
                                                proto: port.string("protocol") ?? "TCP")
        }
    }

    static func view(_ pod: JSON) -> EndpointsBuilder.Pod {
        let status = PodStatusView(json: pod)
        var named: [String: Int] = [:]
        for container in pod[path: "spec", "containers"]?.arrayValue ?? [] {
            for port in container["ports"]?.arrayValue ?? [] {
                if let name = port.string("name"), let number = port["containerPort"]?.intValue { named[name] = Int(number) }
            }
        }
        return EndpointsBuilder.Pod(name: pod.string("metadata", "name") ?? "", uid: pod.string("metadata", "uid") ?? "",
                                    ip: status.podIP, ready: status.condition("Ready")?.status == true,
                                    terminal: status.phase.isTerminal, nodeName: pod.string("spec", "nodeName"),
                                    namedPorts: named)
    }

    static func json(_ subset: EndpointsBuilder.Subset) -> JSON {
        func address(_ entry: EndpointsBuilder.Address) -> JSON {
            var json: JSON = ["ip": .string(entry.ip),
                              "targetRef": ["kind": "Pod", "name": .string(entry.podName), "uid": .string(entry.podUID)]]
            if let node = entry.nodeName { json["nodeName"] = .string(node) }
            return json
        }
        var json: JSON = ["ports": .array(subset.ports.map { port in
            var entry: JSON = ["port": .int(Int64(port.port)), "protocol": .string(port.proto)]
            if let name = port.name { entry["name"] = .string(name) }
            return entry
        })]
        if !subset.addresses.isEmpty { json["addresses"] = .array(subset.addresses.map(address)) }
        if !subset.notReadyAddresses.isEmpty { json["notReadyAddresses"] = .array(subset.notReadyAddresses.map(address)) }
        return json
    }
}
