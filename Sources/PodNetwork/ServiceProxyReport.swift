/// What an `apply` achieved: the addresses served and the rules that are not, with why, so the
/// pods framework can surface them (an event on the service) instead of failing every rule.
public struct ServiceProxyReport: Sendable, Equatable {
    /// Every ClusterIP:port the proxy listens on after the apply.
    public var serving: [ServiceAddress]
    public var problems: [ServiceProxyProblem]

    public init(serving: [ServiceAddress] = [], problems: [ServiceProxyProblem] = []) {
        self.serving = serving
        self.problems = problems
    }
}

/// A rule the proxy does not serve.
public struct ServiceProxyProblem: Sendable, Equatable, CustomStringConvertible {
    /// `namespace/name` of the service.
    public var service: String
    public var address: ServiceAddress
    public var error: PodNetworkError

    public init(service: String, address: ServiceAddress, error: PodNetworkError) {
        self.service = service
        self.address = address
        self.error = error
    }

    public var description: String { "service \(service) \(address): \(error.message)" }
}
