import NIOCore
import NIOHTTP1

/// One complete HTTP request as the server hands it to a handler: head and whole body.
public struct HTTPRequest: Sendable {
    public var method: HTTPMethod
    public var uri: String
    public var headers: HTTPHeaders
    public var body: [UInt8]

    public init(method: HTTPMethod, uri: String, headers: HTTPHeaders = [:], body: [UInt8] = []) {
        self.method = method
        self.uri = uri
        self.headers = headers
        self.body = body
    }

    /// The path without query string, with trailing slashes trimmed (`/api/v1/` is `/api/v1`).
    public var path: String {
        var path = uri.split(separator: "?", maxSplits: 1).first.map(String.init) ?? uri
        while path.count > 1 && path.hasSuffix("/") { path.removeLast() }
        return path
    }

    /// Query parameters, percent-decoded; the last value wins for repeated keys.
    public var query: [String: String] {
        guard let queryString = uri.split(separator: "?", maxSplits: 1).dropFirst().first else { return [:] }
        var result: [String: String] = [:]
        for pair in queryString.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1)
            guard let key = parts.first.map({ Self.percentDecode($0) }) else { continue }
            result[key] = parts.count > 1 ? Self.percentDecode(parts[1]) : ""
        }
        return result
    }

    public func header(_ name: String) -> String? { headers.first(name: name) }

    static func percentDecode(_ text: Substring) -> String {
        var bytes: [UInt8] = []
        var iterator = Array(text.utf8).makeIterator()
        while let byte = iterator.next() {
            if byte == UInt8(ascii: "+") {
                bytes.append(UInt8(ascii: " "))
            } else if byte == UInt8(ascii: "%"), let high = iterator.next(), let low = iterator.next(),
                      let value = UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16) {
                bytes.append(value)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
