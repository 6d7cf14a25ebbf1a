/// Offer ids in creation order, so the offer timeout looks at the oldest offers only instead of
/// scanning every outstanding offer on every tick.
///
/// Offers are made with a non-decreasing clock, so the front is always the oldest. Answered offers
/// are not removed eagerly; they are dropped when they reach the front.
struct OfferAgeQueue: Sendable {
    private var entries: [(time: Double, offerID: String)] = []
    private var head = 0

    var isEmpty: Bool { head == entries.count }

    /// Entries held, answered offers included.
    var count: Int { entries.count - head }

    /// A queue of exactly the given offers, oldest first (ties by id).
    init(_ offers: [(time: Double, offerID: String)] = []) {
        entries = offers.sorted { ($0.time, $0.offerID) < ($1.time, $1.offerID) }
    }

    mutating func append(_ offerID: String, time: Double) {
        entries.append((time, offerID))
    }

    /// The oldest entry, answered or not.
    var first: (time: Double, offerID: String)? {
        head < entries.count ? entries[head] : nil
    }

    mutating func removeFirst() {
        guard head < entries.count else { return }
        head += 1
        // Compact once the dead prefix is large, so the array does not grow forever.
        if head >= 1024 && head * 2 >= entries.count {
            entries.removeFirst(head)
            head = 0
        }
    }
}
