/// A simulation that cannot run as configured; the message names the setting to change.
public struct SimulationError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
    public init(_ message: String) { self.message = message }
}
