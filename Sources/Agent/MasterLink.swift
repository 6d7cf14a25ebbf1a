import FairwayProto

/// How a registration stream ended without a transport error.
public enum MasterLinkEnd: Sendable, Equatable {
    /// The master closed the event stream.
    case closed
    /// The master answered the REGISTER call with an error status and a text body.
    case refused(status: Int, message: String)
}

/// The agent's channel to the master, behind a protocol so the agent's event handling can be tested
/// with a fake master and no network. `HTTPMasterLink` is the real one.
public protocol MasterLink: Sendable {
    /// Sends the REGISTER call and hands every event of the resulting stream to `onEvent`, in
    /// order, until the master closes it (returns `.closed`), refuses it (returns `.refused`), the
    /// connection fails or `onEvent` throws (rethrows).
    func register(_ call: Fairway_Internal_AgentCall,
                  onEvent: @escaping @Sendable (Fairway_Internal_AgentEvent) async throws -> Void) async throws -> MasterLinkEnd

    /// Sends one STATUS_UPDATES call on the registered stream; throws unless the master accepts it.
    func sendStatusUpdates(_ call: Fairway_Internal_AgentCall, streamID: String) async throws
}
