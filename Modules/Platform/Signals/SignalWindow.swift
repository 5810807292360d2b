/// A rolling window of module calls: a ring of `slots` buckets, each
/// `slotNanos` of time wide (60 of one second: the last minute; 60 of one
/// minute: the last hour). A call goes to the bucket of the time it ended;
/// a bucket last written a full turn ago is emptied when reused. Every
/// array is allocated once, at init: recording allocates nothing, and is
/// O(1) but for emptying a reused bucket, once per bucket per turn.
///
/// Not thread-safe by itself: `ModuleMeter` holds it behind a lock.
struct SignalWindow: Sendable {
    let slots: Int
    let slotNanos: UInt64
    /// One per slot: the sums of the calls that ended in it.
    private var buckets: [Bucket]
    /// `LatencyHistogram.binCount` counts per bucket, bucket after bucket.
    private var histogram: [UInt32]
    /// The slot last written and the times it covers, so a call ending in
    /// it (nearly every call) finds it by two comparisons, not a division.
    private var current = (slot: 0, from: UInt64.max, until: UInt64.max)

    private struct Bucket: Sendable {
        /// Which slot number (time / slotNanos) the bucket holds now; -1: never written.
        var tag: Int64 = -1
        var calls: UInt64 = 0
        var errors: UInt64 = 0
        var latencyNanos: UInt64 = 0
        var cpuNanos: UInt64 = 0
        /// Calls whose CPU was measured: `cpuNanos` is theirs.
        var cpuSamples: UInt64 = 0
        var databaseNanos: UInt64 = 0
    }

    init(slots: Int, slotNanos: UInt64) {
        precondition(slots > 0 && slotNanos > 0, "a window needs slots of some width")
        self.slots = slots
        self.slotNanos = slotNanos
        buckets = Array(repeating: Bucket(), count: slots)
        histogram = Array(repeating: 0, count: slots * LatencyHistogram.binCount)
    }

    /// The window's span.
    var nanos: UInt64 { UInt64(slots) * slotNanos }

    @inline(__always)
    mutating func record(latencyBin: Int, latency: UInt64, cpu: UInt64?, database: UInt64, failed: Bool, at time: UInt64) {
        if time < current.from || time >= current.until { enter(at: time) }
        let slot = current.slot
        // Read, changed and written back whole: one access to the array, not one per field.
        var bucket = buckets[slot]
        bucket.calls &+= 1
        if failed { bucket.errors &+= 1 }
        bucket.latencyNanos &+= latency
        if let cpu {
            bucket.cpuNanos &+= cpu
            bucket.cpuSamples &+= 1
        }
        bucket.databaseNanos &+= database
        buckets[slot] = bucket
        histogram[slot &* LatencyHistogram.binCount &+ latencyBin] &+= 1
    }

    /// Makes the slot of `time` the current one, emptied first if it last held an older turn.
    private mutating func enter(at time: UInt64) {
        let tag = Int64(time / slotNanos)
        let slot = Int(tag % Int64(slots))
        if buckets[slot].tag != tag {
            buckets[slot] = Bucket(tag: tag)
            let base = slot * LatencyHistogram.binCount
            for bin in base..<base + LatencyHistogram.binCount { histogram[bin] = 0 }
        }
        current = (slot, UInt64(tag) * slotNanos, UInt64(tag + 1) * slotNanos)
    }

    /// The buckets of the window ending at `time`: the current one and the
    /// `slots - 1` before it (so the last minute is the current second and
    /// the 59 before it), merged.
    func totals(at time: UInt64) -> SignalTotals {
        let now = Int64(time / slotNanos)
        var totals = SignalTotals()
        for (slot, bucket) in buckets.enumerated() where bucket.tag > now - Int64(slots) && bucket.tag <= now {
            totals.calls += bucket.calls
            totals.errors += bucket.errors
            totals.latencyNanos += bucket.latencyNanos
            totals.cpuNanos += bucket.cpuNanos
            totals.cpuSamples += bucket.cpuSamples
            totals.databaseNanos += bucket.databaseNanos
            let base = slot * LatencyHistogram.binCount
            for bin in 0..<LatencyHistogram.binCount { totals.histogram[bin] += UInt64(histogram[base + bin]) }
        }
        return totals
    }
}
