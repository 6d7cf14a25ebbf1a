import Glibc

/// A growable block of manually allocated bytes. Unlike an array, its memory may be pointed into
/// between calls: a pointer stays valid until the next call that grows or compacts it, which the
/// owners (`LineReader`, `RecordBuffer`) document. This keeps the per-record hot paths free of
/// copies and of the exclusivity checks that array properties of classes cost.
final class ByteStorage {
    private(set) var base: UnsafeMutableRawPointer
    private(set) var capacity: Int
    /// Bytes in use, from `base`.
    var count = 0

    init(capacity: Int) {
        self.capacity = max(16, capacity)
        self.base = UnsafeMutableRawPointer.allocate(byteCount: self.capacity, alignment: 16)
    }

    deinit {
        base.deallocate()
    }

    /// Makes room for `extra` more bytes after `count`, moving the bytes (old pointers die).
    func reserve(_ extra: Int) {
        guard count + extra > capacity else { return }
        var newCapacity = capacity * 2
        while newCapacity < count + extra { newCapacity *= 2 }
        let newBase = UnsafeMutableRawPointer.allocate(byteCount: newCapacity, alignment: 16)
        newBase.copyMemory(from: base, byteCount: count)
        base.deallocate()
        base = newBase
        capacity = newCapacity
    }

    func append(_ bytes: UnsafeRawBufferPointer) {
        guard let source = bytes.baseAddress, bytes.count > 0 else { return }
        reserve(bytes.count)
        (base + count).copyMemory(from: source, byteCount: bytes.count)
        count += bytes.count
    }

    /// The bytes [start, start + length) (valid until the storage next grows or changes).
    func bytes(from start: Int, count length: Int) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: base + start, count: length)
    }

    /// Drops the first `prefix` bytes, moving the rest to the front.
    func removeFirst(_ prefix: Int) {
        guard prefix > 0 else { return }
        let rest = count - prefix
        if rest > 0 { memmove(base, base + prefix, rest) }
        count = rest
    }
}
