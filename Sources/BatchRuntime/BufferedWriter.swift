/// Collects small writes (one record at a time) into 64 KiB `write` calls on a descriptor.
/// A failed write is remembered: later writes are dropped and `flush` reports the errno, so the
/// caller checks once instead of after every record.
final class BufferedWriter {
    let fd: Int32
    private let storage: ByteStorage
    /// The errno of the first failed write (EPIPE when the reading process went away), or 0.
    private(set) var failure: Int32 = 0
    /// Bytes accepted so far (buffered or written).
    private(set) var bytesWritten: Int64 = 0

    init(fd: Int32, capacity: Int = 1 << 16) {
        self.fd = fd
        self.storage = ByteStorage(capacity: capacity)
    }

    var hasFailed: Bool { failure != 0 }

    func write(_ bytes: UnsafeRawBufferPointer) {
        guard failure == 0 else { return }
        bytesWritten += Int64(bytes.count)
        if storage.count + bytes.count > storage.capacity {
            flushBuffer()
            if bytes.count >= storage.capacity {
                failure = POSIXFiles.writeAll(fd, bytes)
                return
            }
        }
        storage.append(bytes)
    }

    /// Writes `line` and a newline: one record.
    func writeLine(_ line: UnsafeRawBufferPointer) {
        guard failure == 0 else { return }
        if storage.count + line.count + 1 > storage.capacity {
            write(line)
            withUnsafeBytes(of: StreamingRecord.newline) { write($0) }
            return
        }
        bytesWritten += Int64(line.count + 1)
        storage.append(line)
        storage.base.storeBytes(of: StreamingRecord.newline, toByteOffset: storage.count, as: UInt8.self)
        storage.count += 1
    }

    /// Writes out what is buffered; returns 0 or the errno of the first failure.
    @discardableResult
    func flush() -> Int32 {
        flushBuffer()
        return failure
    }

    private func flushBuffer() {
        guard failure == 0, storage.count > 0 else { return }
        failure = POSIXFiles.writeAll(fd, storage.bytes(from: 0, count: storage.count))
        storage.count = 0
    }
}
