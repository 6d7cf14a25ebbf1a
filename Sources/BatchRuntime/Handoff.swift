/// Hands a non-`Sendable` object to exactly one other thread, which then owns it; the sender must
/// not touch it again. Used for readers and writers that move to a feeding thread.
struct Handoff<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
