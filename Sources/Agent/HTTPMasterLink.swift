import FairwayCore
import FairwayHTTP
import FairwayProto
import NIOHTTP1

/// The master channel over HTTP: `POST /internal/agent`, protobuf bodies, events as a RecordIO
/// stream, status updates as separate POSTs carrying the `Fairway-Agent-Stream` header.
public struct HTTPMasterLink: MasterLink {
    public let url: String

    /// `master` is `HOST:PORT` or a URL.
    public init(master: String) {
        let base = master.hasPrefix("http://") || master.hasPrefix("https://") ? master : "http://" + master
        url = (base.hasSuffix("/") ? String(base.dropLast()) : base) + "/internal/agent"
    }

    public static let streamHeader = "Fairway-Agent-Stream"

    private var headers: HTTPHeaders {
        ["Content-Type": MessageFormat.protobuf.contentType, "Accept": MessageFormat.protobuf.contentType]
    }

    public func register(_ call: Fairway_Internal_AgentCall,
                         onEvent: @escaping @Sendable (Fairway_Internal_AgentEvent) async throws -> Void) async throws -> MasterLinkEnd {
        let body = MessageFormat.protobuf.encode(call)
        let refused = try await HTTPCalls.stream(url, body: body, headers: headers, onOpen: { _ in }) { record in
            let event = try MessageFormat.protobuf.decode(Fairway_Internal_AgentEvent.self, from: record)
            try await onEvent(event)
        }
        guard let refused else { return .closed }
        return .refused(status: Int(refused.status.code), message: refused.text)
    }

    public func sendStatusUpdates(_ call: Fairway_Internal_AgentCall, streamID: String) async throws {
        var headers = self.headers
        headers.add(name: Self.streamHeader, value: streamID)
        let result = try await HTTPCalls.post(url, body: MessageFormat.protobuf.encode(call), headers: headers, timeout: .seconds(10))
        guard result.status == .accepted || result.status == .ok else {
            throw AgentError("the master refused status updates with \(result.status.code): \(result.text)")
        }
    }
}
