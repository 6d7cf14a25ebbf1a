/// A pod-networking failure. `kind` lets callers react (fall back to host networking, report a
/// full subnet on the pod); `message` says what failed and, where we know it, what to do.
public struct PodNetworkError: Error, CustomStringConvertible, Sendable, Equatable {
    /// What went wrong, coarsely, for callers that branch on it.
    public enum Kind: String, Sendable, Equatable {
        /// The subnet has no free address left.
        case addressesExhausted
        /// Every per-agent subnet of the pod CIDR is claimed by a live agent.
        case subnetsExhausted
        /// An argument or configuration value is malformed.
        case invalidArgument
        /// A system command (`ip`, `dnsmasq`) failed; the message carries its stderr.
        case commandFailed
        /// We lack the privileges (root, CAP_NET_ADMIN) or a tool.
        case unsupported
        /// dnsmasq is not installed.
        case dnsmasqMissing
        /// dnsmasq did not start or stopped.
        case dnsmasqFailed
        /// A file or socket operation failed.
        case io
        /// The service proxy cannot serve a rule (UDP, a port already taken).
        case proxyFailed
    }

    public var kind: Kind
    public var message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }
}
