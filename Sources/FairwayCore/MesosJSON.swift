import Foundation
import SwiftProtobuf

/// The JSON dialect of the Mesos HTTP APIs, which is not proto3's canonical JSON: snake_case field
/// names, enums by name, 64-bit integers as plain numbers, unknown keys and `null`s ignored.
///
/// Output is compact, single-line and pure ASCII (non-ASCII escaped as `\uXXXX`), because some
/// clients (mesoshttp) split the event stream on newlines and count characters, not bytes.
public enum MesosJSON {
    private static let encodingOptions: JSONEncodingOptions = {
        var options = JSONEncodingOptions()
        options.preserveProtoFieldNames = true
        options.alwaysPrintInt64sAsNumbers = true
        options.useDeterministicOrdering = true
        return options
    }()

    private static let decodingOptions: JSONDecodingOptions = {
        var options = JSONDecodingOptions()
        options.ignoreUnknownFields = true
        return options
    }()

    public static func encode<M: SwiftProtobuf.Message>(_ message: M) -> [UInt8] {
        do {
            let utf8: [UInt8] = try message.jsonUTF8Bytes(options: encodingOptions)
            return asciiOnly(utf8)
        } catch {
            // Encoding fails only for messages with unset required fields, which we never build;
            // answer with an empty object rather than crash a server over it.
            return Array("{}".utf8)
        }
    }

    public static func encodeString<M: SwiftProtobuf.Message>(_ message: M) -> String {
        String(decoding: encode(message), as: UTF8.self)
    }

    /// Decodes a message, reporting missing required fields and malformed JSON with messages a
    /// framework author can act on.
    public static func decode<M: SwiftProtobuf.Message>(_ type: M.Type, from bytes: [UInt8]) throws(MessageDecodingError) -> M {
        let message: M
        do {
            message = try M(jsonUTF8Bytes: bytes, options: decodingOptions)
        } catch {
            throw MessageDecodingError.describe(error, format: "JSON", type: M.self)
        }
        guard message.isInitialized else {
            throw MessageDecodingError(message: "Failed to parse \(M.protoMessageName): missing required fields")
        }
        return message
    }

    /// Escapes every non-ASCII scalar as `\uXXXX` (surrogate pairs above the BMP). Non-ASCII bytes
    /// can only occur inside JSON strings, so this keeps the document equivalent.
    static func asciiOnly(_ utf8: [UInt8]) -> [UInt8] {
        guard utf8.contains(where: { $0 >= 0x80 }) else { return utf8 }
        var output: [UInt8] = []
        output.reserveCapacity(utf8.count + 16)
        for scalar in String(decoding: utf8, as: UTF8.self).unicodeScalars {
            if scalar.isASCII {
                output.append(UInt8(scalar.value))
            } else {
                for unit in String(scalar).utf16 {
                    output.append(contentsOf: Array(String(format: "\\u%04x", unit).utf8))
                }
            }
        }
        return output
    }
}

/// A request body that is not a valid message of the expected type.
public struct MessageDecodingError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public var description: String { message }

    static func describe<M: SwiftProtobuf.Message>(_ error: Error, format: String, type: M.Type) -> MessageDecodingError {
        let typeName = M.protoMessageName
        switch error {
        case BinaryDecodingError.missingRequiredFields:
            return MessageDecodingError(message: "Failed to parse \(typeName): missing required fields")
        case BinaryDecodingError.truncated:
            return MessageDecodingError(message: "Failed to parse \(typeName): truncated protobuf")
        case BinaryDecodingError.malformedProtobuf:
            return MessageDecodingError(message: "Failed to parse \(typeName): malformed protobuf")
        default:
            return MessageDecodingError(message: "Failed to parse \(typeName) from \(format): \(error)")
        }
    }
}

/// The two body encodings the Mesos HTTP APIs speak.
public enum MessageFormat: String, Sendable {
    case json = "application/json"
    case protobuf = "application/x-protobuf"

    public var contentType: String { rawValue }

    public func encode<M: SwiftProtobuf.Message>(_ message: M) -> [UInt8] {
        switch self {
        case .json: MesosJSON.encode(message)
        case .protobuf: (try? message.serializedBytes()) ?? []
        }
    }

    public func decode<M: SwiftProtobuf.Message>(_ type: M.Type, from bytes: [UInt8]) throws(MessageDecodingError) -> M {
        switch self {
        case .json:
            return try MesosJSON.decode(type, from: bytes)
        case .protobuf:
            do {
                return try M(serializedBytes: bytes)
            } catch {
                throw MessageDecodingError.describe(error, format: "protobuf", type: M.self)
            }
        }
    }
}
