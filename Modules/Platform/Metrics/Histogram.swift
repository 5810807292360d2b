import Synchronization

/// One histogram series over fixed buckets: how many observations fell at
/// or under each upper bound, their sum and their count.
///
/// Counts are kept per bucket (not cumulative) under a tiny lock, so an
/// observation is a search in a handful of bounds and three in-place
/// updates; the cumulative `_bucket{le=...}` figures are summed at scrape time.
public final class Histogram: Sendable {
    /// Upper bounds, ascending, without `+Inf` (always implied).
    public let bounds: [Double]
    private let state: Mutex<State>

    struct State {
        /// One slot per bound, plus one for `+Inf`.
        var counts: [UInt64]
        var sum: Double = 0
        var count: UInt64 = 0
    }

    /// A consistent reading: every figure from the same instant.
    public struct Reading: Sendable {
        /// Cumulative counts per bound, then `+Inf` (equal to `count`).
        public var cumulative: [UInt64]
        public var sum: Double
        public var count: UInt64
    }

    init(bounds: [Double]) {
        self.bounds = bounds
        state = Mutex(State(counts: Array(repeating: 0, count: bounds.count + 1)))
    }

    public func observe(_ value: Double) {
        var slot = bounds.count
        for index in bounds.indices where value <= bounds[index] {
            slot = index
            break
        }
        state.withLock { state in
            state.counts[slot] &+= 1
            state.sum += value
            state.count &+= 1
        }
    }

    public func read() -> Reading {
        let state = state.withLock { $0 }
        var running: UInt64 = 0
        let cumulative = state.counts.map { count in
            running &+= count
            return running
        }
        return Reading(cumulative: cumulative, sum: state.sum, count: state.count)
    }
}
