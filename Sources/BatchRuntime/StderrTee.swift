import Glibc

/// Copies a child's stderr to ours as it comes (so it lands in the task's sandbox `stderr`) and
/// keeps the last few KiB, whose last line goes into the failure message ("sh: 1: foo: not found").
enum StderrTee {
    static let tailSize = 4096

    /// Starts copying from `fd` (which it closes at end of file); `join` returns the kept tail.
    static func start(_ fd: Int32) throws(BatchRuntimeError) -> JoinableThread<[UInt8]> {
        do {
            return try JoinableThread.start {
                var tail: [UInt8] = []
                var chunk = [UInt8](repeating: 0, count: 1 << 14)
                while true {
                    let count = chunk.withUnsafeMutableBytes { bytes -> Int in
                        guard let base = bytes.baseAddress else { return 0 }
                        return POSIXFiles.read(fd, into: base, count: bytes.count)
                    }
                    if count <= 0 { break }
                    chunk.withUnsafeBytes { bytes in
                        _ = POSIXFiles.writeAll(STDERR_FILENO, UnsafeRawBufferPointer(rebasing: bytes[0..<count]))
                    }
                    tail.append(contentsOf: chunk[0..<count])
                    if tail.count > tailSize * 2 { tail.removeFirst(tail.count - tailSize) }
                }
                close(fd)
                return Array(tail.suffix(tailSize))
            }
        } catch {
            close(fd)
            throw error
        }
    }

    /// The last non-empty line of a stderr tail, trimmed; nil when there is none.
    static func lastLine(of tail: [UInt8]) -> String? {
        let text = String(decoding: tail, as: UTF8.self)
        let lines = text.split(whereSeparator: { $0 == "\n" || $0 == "\r" })
        for line in lines.reversed() {
            let trimmed = line.trimmed(of: [" ", "\t"])
            if !trimmed.isEmpty { return trimmed }
        }
        return nil
    }
}

extension Substring {
    fileprivate func trimmed(of set: Set<Character>) -> String {
        var slice = self[...]
        while let first = slice.first, set.contains(first) { slice = slice.dropFirst() }
        while let last = slice.last, set.contains(last) { slice = slice.dropLast() }
        return String(slice)
    }
}
