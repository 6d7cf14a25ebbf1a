/// The byte format between the agent and its launcher service: a stream of frames, each a
/// little-endian `UInt32` payload length and the payload; payloads are a kind byte followed by
/// fixed-width integers, length-prefixed UTF-8 strings and counted lists. Small and dependency
/// free on purpose: the service side runs in a single-threaded process that must not start
/// anything (Foundation, Dispatch) that could create a thread.
enum LauncherWire {
    /// Frames larger than this are a protocol error (a request carries one task's argv and
    /// environment; 16 MiB is far beyond any real one).
    static let maximumFrame = 16 << 20

    struct DecodingError: Error, CustomStringConvertible {
        var description: String
    }

    /// Builds one frame.
    struct Encoder {
        private(set) var bytes: [UInt8]

        init(kind: UInt8) {
            bytes = [0, 0, 0, 0, kind]
        }

        mutating func u8(_ value: UInt8) { bytes.append(value) }

        mutating func u32(_ value: UInt32) {
            withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
        }

        mutating func i32(_ value: Int32) { u32(UInt32(bitPattern: value)) }

        mutating func string(_ value: String) {
            let utf8 = value.utf8
            u32(UInt32(utf8.count))
            bytes.append(contentsOf: utf8)
        }

        mutating func strings(_ values: [String]) {
            u32(UInt32(values.count))
            for value in values { string(value) }
        }

        /// The frame with its length filled in.
        func frame() -> [UInt8] {
            var framed = bytes
            let length = UInt32(framed.count - 4).littleEndian
            withUnsafeBytes(of: length) { raw in
                for index in 0..<4 { framed[index] = raw[index] }
            }
            return framed
        }
    }

    /// Reads the fields of one frame's payload, in order.
    struct Decoder {
        private let bytes: [UInt8]
        private var offset = 0

        init(payload: [UInt8]) { bytes = payload }

        var isAtEnd: Bool { offset == bytes.count }

        mutating func u8() throws(DecodingError) -> UInt8 {
            guard offset < bytes.count else { throw DecodingError(description: "truncated message") }
            defer { offset += 1 }
            return bytes[offset]
        }

        mutating func u32() throws(DecodingError) -> UInt32 {
            guard bytes.count - offset >= 4 else { throw DecodingError(description: "truncated message") }
            var value: UInt32 = 0
            for index in 0..<4 { value |= UInt32(bytes[offset + index]) << (8 * UInt32(index)) }
            offset += 4
            return value
        }

        mutating func i32() throws(DecodingError) -> Int32 { Int32(bitPattern: try u32()) }

        mutating func string() throws(DecodingError) -> String {
            let count = Int(try u32())
            guard bytes.count - offset >= count else { throw DecodingError(description: "truncated string") }
            defer { offset += count }
            return String(decoding: bytes[offset..<(offset + count)], as: UTF8.self)
        }

        mutating func strings() throws(DecodingError) -> [String] {
            let count = Int(try u32())
            guard count <= bytes.count - offset else { throw DecodingError(description: "list longer than the message") }
            var values: [String] = []
            values.reserveCapacity(count)
            for _ in 0..<count { values.append(try string()) }
            return values
        }
    }

    /// Splits a byte stream into frame payloads, however the bytes arrive.
    struct FrameBuffer {
        private var buffer: [UInt8] = []
        private var start = 0

        var isEmpty: Bool { start == buffer.count }

        /// The bytes not yet returned as frames.
        var remainingBytes: [UInt8] { Array(buffer[start...]) }

        mutating func append(_ bytes: UnsafeRawBufferPointer) {
            if start > 0 && start == buffer.count {
                buffer.removeAll(keepingCapacity: true)
                start = 0
            }
            buffer.append(contentsOf: bytes)
        }

        /// The next complete payload, or nil until more bytes arrive.
        mutating func next() throws(DecodingError) -> [UInt8]? {
            guard buffer.count - start >= 4 else { return nil }
            var length = 0
            for index in 0..<4 { length |= Int(buffer[start + index]) << (8 * index) }
            guard length <= LauncherWire.maximumFrame else {
                throw DecodingError(description: "a message of \(length) bytes exceeds the limit of \(LauncherWire.maximumFrame)")
            }
            guard buffer.count - start - 4 >= length else { return nil }
            let payload = Array(buffer[(start + 4)..<(start + 4 + length)])
            start += 4 + length
            if start == buffer.count {
                buffer.removeAll(keepingCapacity: true)
                start = 0
            } else if start > 65536 {
                buffer.removeFirst(start)
                start = 0
            }
            return payload
        }
    }
}
