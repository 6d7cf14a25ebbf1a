/// A max-heap of scored offers for one pod shape: highest score first, ties to the lowest offer
/// index (offers are indexed in agent-ID order). Entries carry the agent version they were
/// scored at; the placer drops entries whose agent has been charged since.
struct CandidateHeap {
    struct Entry {
        var score: Double
        var offer: Int32
        var version: UInt32
    }

    private(set) var entries: [Entry] = []

    var isEmpty: Bool { entries.isEmpty }
    var top: Entry? { entries.first }

    init() {}

    /// Builds in O(n) from unordered entries.
    init(_ unordered: [Entry]) {
        entries = unordered
        var index = entries.count / 2
        while index > 0 {
            index -= 1
            siftDown(index)
        }
    }

    @inline(__always)
    private static func above(_ a: Entry, _ b: Entry) -> Bool {
        a.score != b.score ? a.score > b.score : a.offer < b.offer
    }

    mutating func push(_ entry: Entry) {
        entries.append(entry)
        var child = entries.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard Self.above(entries[child], entries[parent]) else { break }
            entries.swapAt(child, parent)
            child = parent
        }
    }

    mutating func popTop() {
        guard !entries.isEmpty else { return }
        let last = entries.removeLast()
        guard !entries.isEmpty else { return }
        entries[0] = last
        siftDown(0)
    }

    private mutating func siftDown(_ start: Int) {
        var parent = start
        let count = entries.count
        while true {
            let left = 2 * parent + 1
            guard left < count else { return }
            var best = left
            if left + 1 < count, Self.above(entries[left + 1], entries[left]) { best = left + 1 }
            guard Self.above(entries[best], entries[parent]) else { return }
            entries.swapAt(best, parent)
            parent = best
        }
    }
}
