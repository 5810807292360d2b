import Synchronization

/// A clock a test sets by hand, for `ModuleSignals(clock:)`.
final class ManualClock: Sendable {
    private let now: Atomic<UInt64>

    init(_ start: UInt64 = 1_000_000 * 1_000_000_000) { now = Atomic(start) }

    func set(_ time: UInt64) { now.store(time, ordering: .relaxed) }
    func advance(seconds: UInt64) { now.add(seconds * 1_000_000_000, ordering: .relaxed) }
    var read: @Sendable () -> UInt64 { { self.now.load(ordering: .relaxed) } }
}
