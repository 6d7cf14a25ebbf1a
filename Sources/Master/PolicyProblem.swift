import NIOHTTP1

/// Why an operator's request (a weight or quota update, a history range) was refused; `kind`
/// picks the HTTP status.
public struct PolicyProblem: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// The request itself is wrong (400 Bad Request).
        case invalid
        /// Valid, but it cannot be honoured in the cluster as it is (409 Conflict).
        case conflict
        /// The master could not answer right now (503 Service Unavailable).
        case unavailable
    }

    public var kind: Kind
    public var message: String
    public var description: String { message }

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    var status: HTTPResponseStatus {
        switch kind {
        case .invalid: .badRequest
        case .conflict: .conflict
        case .unavailable: .serviceUnavailable
        }
    }
}
