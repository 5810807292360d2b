import Synchronization

/// One counter series: only ever goes up, from any thread, without a lock.
///
/// Resolve it once (`family.labels(...)`) and keep it: `increment` is then
/// one atomic add, no lookup and no allocation.
public final class Counter: Sendable {
    private let value = Atomic<UInt64>(0)

    init() {}

    public func increment(by amount: UInt64 = 1) {
        value.wrappingAdd(amount, ordering: .relaxed)
    }

    public var current: UInt64 { value.load(ordering: .relaxed) }
}
