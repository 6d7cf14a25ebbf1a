/// A failure in the agent that an operator has to act on; the message says what went wrong and,
/// where we know it, what to do.
public struct AgentError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
