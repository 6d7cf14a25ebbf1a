/// One port of a Kubernetes service as the proxy needs it: connections to `clusterIP:port` are
/// spread round-robin over `endpoints` (the ready pods' IP and target port).
public struct ServiceRule: Sendable, Equatable {
    public var serviceName: String
    public var namespace: String
    public var clusterIP: IPv4Address
    public var port: Int
    /// Only TCP is proxied; UDP and SCTP rules are reported as not served.
    public var `protocol`: ServiceProtocol
    /// The ready backends; empty means connections are closed at once.
    public var endpoints: [ServiceEndpoint]

    public init(serviceName: String, namespace: String, clusterIP: IPv4Address, port: Int,
                protocol: ServiceProtocol = .tcp, endpoints: [ServiceEndpoint]) {
        self.serviceName = serviceName
        self.namespace = namespace
        self.clusterIP = clusterIP
        self.port = port
        self.protocol = `protocol`
        self.endpoints = endpoints
    }

    /// `namespace/name` for logs and reports.
    public var qualifiedName: String { "\(namespace)/\(serviceName)" }

    /// Where the proxy listens for this rule.
    public var address: ServiceAddress { ServiceAddress(ip: clusterIP, port: port) }
}

/// A backend of a service: a pod IP and the container port.
public struct ServiceEndpoint: Sendable, Hashable, CustomStringConvertible {
    public var ip: IPv4Address
    public var port: Int

    public init(ip: IPv4Address, port: Int) {
        self.ip = ip
        self.port = port
    }

    public var description: String { "\(ip):\(port)" }
}

/// A service's transport protocol (Kubernetes spelling).
public enum ServiceProtocol: String, Sendable, Equatable {
    case tcp = "TCP"
    case udp = "UDP"
    case sctp = "SCTP"
}

/// A ClusterIP and port the proxy listens on.
public struct ServiceAddress: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var ip: IPv4Address
    public var port: Int

    public init(ip: IPv4Address, port: Int) {
        self.ip = ip
        self.port = port
    }

    public var description: String { "\(ip):\(port)" }

    public static func < (lhs: ServiceAddress, rhs: ServiceAddress) -> Bool {
        (lhs.ip, lhs.port) < (rhs.ip, rhs.port)
    }
}
