import Glibc
import Spawning

/// Reads `\n`-terminated lines from a descriptor through one growing buffer, without copying
/// them. A last line without a newline is still a line; nothing follows a final newline. Reads
/// either sequentially (`read`, for pipes) or a window of a file (`pread` from `offset`, at most
/// `limit` bytes, for sorted spill segments).
final class LineReader {
    private let fd: Int32
    private let ownsDescriptor: Bool
    private let storage: ByteStorage
    /// Unread bytes are storage[start ..< storage.count].
    private var start = 0
    private var atEnd = false
    private var fileOffset: Int64?
    private var remaining: Int64?
    private var lineStart = 0
    private var lineLength = 0
    /// What the reader is reading, for error messages.
    let name: String
    /// Bytes handed out so far, newlines included.
    private(set) var consumed: Int64 = 0
    /// Whether the current line ended in a newline.
    private(set) var terminated = false

    /// Reads `fd` sequentially from its current position.
    init(fd: Int32, name: String, ownsDescriptor: Bool = false, chunkSize: Int = 1 << 16) {
        self.fd = fd
        self.name = name
        self.ownsDescriptor = ownsDescriptor
        self.storage = ByteStorage(capacity: chunkSize)
    }

    /// Reads the window [offset, offset + limit) of a file (to its end when `limit` is nil).
    init(fd: Int32, name: String, offset: Int64, limit: Int64?, ownsDescriptor: Bool = false, chunkSize: Int = 1 << 16) {
        self.fd = fd
        self.name = name
        self.ownsDescriptor = ownsDescriptor
        self.fileOffset = offset
        self.remaining = limit
        self.storage = ByteStorage(capacity: chunkSize)
    }

    deinit {
        if ownsDescriptor { close(fd) }
    }

    /// The line `advance` found, without its newline; valid until the next `advance`.
    var line: UnsafeRawBufferPointer {
        storage.bytes(from: lineStart, count: lineLength)
    }

    /// Moves to the next line; false at the end of the input.
    func advance() throws(BatchRuntimeError) -> Bool {
        while true {
            let unread = storage.count - start
            if unread > 0, let newline = memchr(storage.base + start, Int32(StreamingRecord.newline), unread) {
                lineStart = start
                lineLength = (storage.base + start).distance(to: newline)
                terminated = true
                start += lineLength + 1
                consumed += Int64(lineLength + 1)
                return true
            }
            if atEnd {
                guard unread > 0 else { return false }
                lineStart = start
                lineLength = unread
                terminated = false
                start = storage.count
                consumed += Int64(unread)
                return true
            }
            try fill()
        }
    }

    /// Calls `body` with the next line (without its newline) and whether it ended in a newline;
    /// returns nil at the end of the input.
    func next<Result>(_ body: (UnsafeRawBufferPointer, _ terminated: Bool) throws -> Result) throws -> Result? {
        guard try advance() else { return nil }
        return try body(line, terminated)
    }

    /// Moves the unread bytes to the front, grows the buffer when one line fills it, and reads more.
    private func fill() throws(BatchRuntimeError) {
        storage.removeFirst(start)
        start = 0
        if storage.count == storage.capacity { storage.reserve(storage.capacity) }
        var want = storage.capacity - storage.count
        if let remaining {
            want = Int(min(Int64(want), remaining))
            if want == 0 {
                atEnd = true
                return
            }
        }
        let target = storage.base + storage.count
        let count = if let offset = fileOffset {
            POSIXFiles.read(fd, into: target, count: want, at: offset)
        } else {
            POSIXFiles.read(fd, into: target, count: want)
        }
        if count < 0 {
            throw BatchRuntimeError("cannot read \(name): \(LinuxCalls.errorText(Int32(-count)))")
        }
        if count == 0 {
            atEnd = true
            return
        }
        storage.count += count
        if let offset = fileOffset { fileOffset = offset + Int64(count) }
        if let remaining { self.remaining = remaining - Int64(count) }
    }
}
