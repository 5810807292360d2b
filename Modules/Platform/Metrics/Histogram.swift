import Synchronization

/// One histogram series over fixed buckets: how many observations fell at
/// or under each upper bound, their sum and their count.
///
/// Lock-free: an observation is a scan of a handful of bounds, one atomic
/// add to its bucket and one compare-and-swap on the sum. Counts are kept
/// per bucket (not cumulative); the cumulative `_bucket{le=...}` figures
/// and the count are summed at scrape time, so `+Inf` always equals `_count`.
public final class Histogram: Sendable {
    /// Upper bounds, ascending, without `+Inf` (always implied).
    public let bounds: [Double]
    /// One cell per bound, plus one for `+Inf`.
    private let cells: [Cell]
    private let sumBits = Atomic<UInt64>(0.0.bitPattern)

    private final class Cell: Sendable {
        let count = Atomic<UInt64>(0)
    }

    /// One scrape's figures.
    public struct Reading: Sendable {
        /// Cumulative counts per bound, then `+Inf` (equal to `count`).
        public var cumulative: [UInt64]
        public var sum: Double
        public var count: UInt64
    }

    init(bounds: [Double]) {
        self.bounds = bounds
        cells = (0...bounds.count).map { _ in Cell() }
    }

    public func observe(_ value: Double) {
        var slot = bounds.count
        for index in bounds.indices where value <= bounds[index] {
            slot = index
            break
        }
        cells[slot].count.wrappingAdd(1, ordering: .relaxed)
        var old = sumBits.load(ordering: .relaxed)
        while true {
            let (exchanged, original) = sumBits.compareExchange(
                expected: old, desired: (Double(bitPattern: old) + value).bitPattern, ordering: .relaxed)
            if exchanged { return }
            old = original
        }
    }

    /// The figures now. Read while others observe, the sum may lead or lag
    /// the counts by an observation in flight, as Prometheus clients allow.
    public func read() -> Reading {
        var running: UInt64 = 0
        let cumulative = cells.map { cell in
            running &+= cell.count.load(ordering: .relaxed)
            return running
        }
        return Reading(cumulative: cumulative, sum: Double(bitPattern: sumBits.load(ordering: .relaxed)), count: running)
    }
}
