import FairwayProto

/// A call the master did not accept, or could not be sent.
///
/// `status` is the HTTP status the master answered (400 for a malformed or invalid call, 403 when
/// the framework is not subscribed, ...), or 0 when no answer came: the SDK was not subscribed at
/// the time, or the master could not be reached. `message` is the master's own explanation.
public struct SchedulerCallError: Error, CustomStringConvertible, Sendable {
    public var call: Fairway_V1_Scheduler_Call.TypeEnum
    public var status: Int
    public var message: String

    public init(call: Fairway_V1_Scheduler_Call.TypeEnum, status: Int, message: String) {
        self.call = call
        self.status = status
        self.message = message
    }

    public var description: String {
        let name = String(describing: call).uppercased()
        return status == 0 ? "\(name) failed: \(message)" : "\(name) rejected by the master (\(status)): \(message)"
    }
}
