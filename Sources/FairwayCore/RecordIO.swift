/// RecordIO framing as the Mesos streaming APIs use it: each record is its length in decimal ASCII,
/// a newline, then exactly that many bytes, with no separator before the next record.
public enum RecordIO {
    public static func encode(_ record: [UInt8]) -> [UInt8] {
        var framed = Array(String(record.count).utf8)
        framed.reserveCapacity(framed.count + 1 + record.count)
        framed.append(UInt8(ascii: "\n"))
        framed.append(contentsOf: record)
        return framed
    }
}

/// A malformed RecordIO stream: the length prefix was not a number or was absurdly large.
public struct RecordIOError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public var description: String { message }
}

/// Incremental RecordIO decoder: feed it bytes as they arrive, in chunks of any size, and it returns
/// the records completed so far. Chunk boundaries need not match record boundaries.
public struct RecordIODecoder: Sendable {
    /// Refuse records larger than this, so a corrupt length cannot make us buffer forever.
    public var maximumRecordSize: Int

    private var buffer: [UInt8] = []
    private var readIndex = 0
    private var pendingLength: Int?

    public init(maximumRecordSize: Int = 64 << 20) {
        self.maximumRecordSize = maximumRecordSize
    }

    public mutating func decode<Bytes: Sequence>(_ chunk: Bytes) throws(RecordIOError) -> [[UInt8]] where Bytes.Element == UInt8 {
        buffer.append(contentsOf: chunk)
        var records: [[UInt8]] = []
        while true {
            if pendingLength == nil {
                guard let newline = buffer[readIndex...].firstIndex(of: UInt8(ascii: "\n")) else {
                    if buffer.count - readIndex > 20 {
                        throw RecordIOError(message: "RecordIO length prefix is longer than 20 bytes")
                    }
                    break
                }
                let digits = buffer[readIndex..<newline]
                guard !digits.isEmpty, digits.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
                      let length = Int(String(decoding: digits, as: UTF8.self)) else {
                    throw RecordIOError(message: "RecordIO length prefix '\(String(decoding: digits, as: UTF8.self))' is not a number")
                }
                guard length <= maximumRecordSize else {
                    throw RecordIOError(message: "RecordIO record of \(length) bytes exceeds the \(maximumRecordSize)-byte limit")
                }
                pendingLength = length
                readIndex = newline + 1
            }
            guard let length = pendingLength, buffer.count - readIndex >= length else { break }
            records.append(Array(buffer[readIndex..<(readIndex + length)]))
            readIndex += length
            pendingLength = nil
        }
        if readIndex > 0 && (readIndex == buffer.count || readIndex > 1 << 16) {
            buffer.removeFirst(readIndex)
            readIndex = 0
        }
        return records
    }
}
