/// Why the cluster could not be inspected, worded for the person at the terminal.
public struct InspectionError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
