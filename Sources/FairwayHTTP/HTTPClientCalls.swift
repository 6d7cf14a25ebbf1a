import AsyncHTTPClient
import FairwayCore
import NIOCore
import NIOHTTP1

/// A whole response from `HTTPCalls.post` or `HTTPCalls.get`.
public struct HTTPCallResult: Sendable {
    public var status: HTTPResponseStatus
    public var headers: HTTPHeaders
    public var body: [UInt8]

    public var text: String { String(decoding: body, as: UTF8.self) }
}

/// Thin helpers over AsyncHTTPClient for the request shapes Fairway's components use: one-shot
/// calls with a deadline, and long-lived RecordIO streams (subscriptions).
public enum HTTPCalls {
    /// The largest whole response body we read.
    public static let maximumBodySize = 64 << 20

    public static func post(_ url: String, body: [UInt8], headers: HTTPHeaders,
                            timeout: TimeAmount = .seconds(30),
                            client: HTTPClient = .shared) async throws -> HTTPCallResult {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers = headers
        request.body = .bytes(ByteBuffer(bytes: body))
        return try await execute(request, timeout: timeout, client: client)
    }

    public static func get(_ url: String, headers: HTTPHeaders = [:], timeout: TimeAmount = .seconds(30),
                           client: HTTPClient = .shared) async throws -> HTTPCallResult {
        var request = HTTPClientRequest(url: url)
        request.method = .GET
        request.headers = headers
        return try await execute(request, timeout: timeout, client: client)
    }

    private static func execute(_ request: HTTPClientRequest, timeout: TimeAmount, client: HTTPClient) async throws -> HTTPCallResult {
        let response = try await client.execute(request, timeout: timeout)
        let body = try await response.body.collect(upTo: maximumBodySize)
        return HTTPCallResult(status: response.status, headers: response.headers, body: Array(buffer: body))
    }

    /// POSTs `body` and, when the answer is 200, calls `onOpen` with the response headers and then
    /// `onRecord` for every RecordIO record of the streamed body, until the server closes it (the
    /// function then returns) or the connection fails (it throws). A non-200 answer is returned
    /// as an `HTTPCallResult` without calling either closure.
    public static func stream(_ url: String, body: [UInt8], headers: HTTPHeaders,
                              client: HTTPClient = .shared,
                              onOpen: @Sendable (HTTPHeaders) async throws -> Void,
                              onRecord: @Sendable ([UInt8]) async throws -> Void) async throws -> HTTPCallResult? {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers = headers
        request.body = .bytes(ByteBuffer(bytes: body))
        let response = try await client.execute(request, deadline: .distantFuture)
        guard response.status == .ok else {
            let body = try await response.body.collect(upTo: maximumBodySize)
            return HTTPCallResult(status: response.status, headers: response.headers, body: Array(buffer: body))
        }
        try await onOpen(response.headers)
        var decoder = RecordIODecoder()
        for try await chunk in response.body {
            for record in try decoder.decode(chunk.readableBytesView) {
                try await onRecord(record)
            }
        }
        return nil
    }
}
