import Synchronization

/// One gauge series: a value that goes up and down (connections in use, a
/// backlog). Stored as the bits of a `Double`, changed by compare-and-swap,
/// so readers and writers never take a lock.
public final class Gauge: Sendable {
    private let bits = Atomic<UInt64>(0.0.bitPattern)

    init() {}

    public func set(_ value: Double) {
        bits.store(value.bitPattern, ordering: .relaxed)
    }

    public func add(_ amount: Double) {
        var old = bits.load(ordering: .relaxed)
        while true {
            let (exchanged, original) = bits.compareExchange(
                expected: old, desired: (Double(bitPattern: old) + amount).bitPattern, ordering: .relaxed)
            if exchanged { return }
            old = original
        }
    }

    public var current: Double { Double(bitPattern: bits.load(ordering: .relaxed)) }
}
