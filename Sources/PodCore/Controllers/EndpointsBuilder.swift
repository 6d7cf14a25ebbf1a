/// The endpoints controller's decision, pure: the addresses behind a service — the pods matching
/// its selector that have an IP — split into ready and not ready, with each service port
/// resolved against the pod (a named `targetPort` names a container port).
public enum EndpointsBuilder {
    public struct ServicePort: Hashable, Sendable {
        public enum Target: Hashable, Sendable {
            case number(Int)
            case name(String)
        }

        public var name: String?
        public var port: Int
        public var target: Target
        public var proto: String

        public init(name: String?, port: Int, target: Target, proto: String = "TCP") {
            self.name = name
            self.port = port
            self.target = target
            self.proto = proto
        }
    }

    public struct Pod: Hashable, Sendable {
        public var name: String
        public var uid: String
        public var ip: String?
        public var ready: Bool
        public var terminal: Bool
        public var nodeName: String?
        /// Named container ports of the pod.
        public var namedPorts: [String: Int]

        public init(name: String, uid: String, ip: String?, ready: Bool, terminal: Bool = false, nodeName: String? = nil,
                    namedPorts: [String: Int] = [:]) {
            self.name = name
            self.uid = uid
            self.ip = ip
            self.ready = ready
            self.terminal = terminal
            self.nodeName = nodeName
            self.namedPorts = namedPorts
        }
    }

    public struct Address: Hashable, Sendable {
        public var ip: String
        public var podName: String
        public var podUID: String
        public var nodeName: String?
    }

    public struct Port: Hashable, Sendable {
        public var name: String?
        public var port: Int
        public var proto: String
    }

    /// One `subsets[]` entry: addresses sharing one resolved port list.
    public struct Subset: Hashable, Sendable {
        public var addresses: [Address]
        public var notReadyAddresses: [Address]
        public var ports: [Port]
    }

    /// Subsets in a stable order (by first address), addresses sorted by IP. Pods whose named
    /// target port they do not define are left out of that port, as Kubernetes does.
    public static func subsets(ports: [ServicePort], pods: [Pod]) -> [Subset] {
        var groups: [[Port]: Subset] = [:]
        for pod in pods {
            guard let ip = pod.ip, !ip.isEmpty, !pod.terminal else { continue }
            let resolved: [Port] = ports.compactMap { port in
                switch port.target {
                case .number(let number): Port(name: port.name, port: number, proto: port.proto)
                case .name(let name): pod.namedPorts[name].map { Port(name: port.name, port: $0, proto: port.proto) }
                }
            }
            guard !resolved.isEmpty else { continue }
            let address = Address(ip: ip, podName: pod.name, podUID: pod.uid, nodeName: pod.nodeName)
            var subset = groups[resolved] ?? Subset(addresses: [], notReadyAddresses: [], ports: resolved)
            if pod.ready { subset.addresses.append(address) } else { subset.notReadyAddresses.append(address) }
            groups[resolved] = subset
        }
        return groups.values.map { subset in
            var sorted = subset
            sorted.addresses.sort { IPv4Order.less($0.ip, $1.ip) }
            sorted.notReadyAddresses.sort { IPv4Order.less($0.ip, $1.ip) }
            return sorted
        }.sorted { a, b in
            IPv4Order.less((a.addresses + a.notReadyAddresses).first?.ip ?? "", (b.addresses + b.notReadyAddresses).first?.ip ?? "")
        }
    }
}

/// Orders dotted IPv4 addresses numerically (10.0.0.9 before 10.0.0.10); others fall back to text.
enum IPv4Order {
    static func less(_ a: String, _ b: String) -> Bool {
        let x = a.split(separator: ".").compactMap { Int($0) }, y = b.split(separator: ".").compactMap { Int($0) }
        guard x.count == 4, y.count == 4 else { return a < b }
        return x.lexicographicallyPrecedes(y)
    }
}
