/// Merges sorted runs into one sorted stream (a k-way merge over a binary heap): by key bytes, and
/// for equal keys by run order, so records from an earlier run (an earlier spill, a lower map
/// index) come first and the merge is stable and deterministic.
final class RecordMerger {
    private let sources: [any SortedRecordSource]
    private var heap: [Int] = []

    init(sources: [any SortedRecordSource]) throws {
        self.sources = sources
        for index in sources.indices where try sources[index].advance() {
            heap.append(index)
            siftUp(heap.count - 1)
        }
    }

    /// Calls `body` with the next record's line (without newline) and key length; false at the end.
    func next(_ body: (UnsafeRawBufferPointer, Int) throws -> Void) throws -> Bool {
        guard let top = heap.first else { return false }
        let source = sources[top]
        try body(source.line, source.keyLength)
        if try source.advance() {
            siftDown(0)
        } else {
            let last = heap.removeLast()
            if !heap.isEmpty {
                heap[0] = last
                siftDown(0)
            }
        }
        return true
    }

    private func precedes(_ left: Int, _ right: Int) -> Bool {
        let a = sources[left]
        let b = sources[right]
        let order = StreamingRecord.compareKeys(a.line.baseAddress, a.keyLength, b.line.baseAddress, b.keyLength)
        return order != 0 ? order < 0 : left < right
    }

    private func siftUp(_ start: Int) {
        var child = start
        while child > 0 {
            let parent = (child - 1) / 2
            guard precedes(heap[child], heap[parent]) else { return }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    private func siftDown(_ start: Int) {
        var parent = start
        while true {
            let left = 2 * parent + 1
            let right = left + 1
            var smallest = parent
            if left < heap.count && precedes(heap[left], heap[smallest]) { smallest = left }
            if right < heap.count && precedes(heap[right], heap[smallest]) { smallest = right }
            if smallest == parent { return }
            heap.swapAt(parent, smallest)
            parent = smallest
        }
    }
}
