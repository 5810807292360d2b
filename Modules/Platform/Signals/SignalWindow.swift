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
    /// Which slot number (time / slotNanos) each bucket holds now; -1: never written.
    private var tags: [Int64]
    private var calls: [UInt64]
    private var errors: [UInt64]
    private var latencyNanos: [UInt64]
    private var cpuNanos: [UInt64]
    /// Calls whose CPU was measured: `cpuNanos` is theirs.
    private var cpuSamples: [UInt64]
    private var databaseNanos: [UInt64]
    /// `LatencyHistogram.binCount` counts per bucket, bucket after bucket.
    private var histogram: [UInt32]

    init(slots: Int, slotNanos: UInt64) {
        precondition(slots > 0 && slotNanos > 0, "a window needs slots of some width")
        self.slots = slots
        self.slotNanos = slotNanos
        tags = Array(repeating: -1, count: slots)
        calls = Array(repeating: 0, count: slots)
        errors = Array(repeating: 0, count: slots)
        latencyNanos = Array(repeating: 0, count: slots)
        cpuNanos = Array(repeating: 0, count: slots)
        cpuSamples = Array(repeating: 0, count: slots)
        databaseNanos = Array(repeating: 0, count: slots)
        histogram = Array(repeating: 0, count: slots * LatencyHistogram.binCount)
    }

    /// The window's span.
    var nanos: UInt64 { UInt64(slots) * slotNanos }

    @inline(__always)
    mutating func record(latencyBin: Int, latency: UInt64, cpu: UInt64?, database: UInt64, failed: Bool, at time: UInt64) {
        let tag = Int64(time / slotNanos)
        let slot = Int(tag % Int64(slots))
        if tags[slot] != tag { empty(slot, for: tag) }
        calls[slot] &+= 1
        if failed { errors[slot] &+= 1 }
        latencyNanos[slot] &+= latency
        if let cpu {
            cpuNanos[slot] &+= cpu
            cpuSamples[slot] &+= 1
        }
        databaseNanos[slot] &+= database
        histogram[slot * LatencyHistogram.binCount + latencyBin] &+= 1
    }

    private mutating func empty(_ slot: Int, for tag: Int64) {
        tags[slot] = tag
        calls[slot] = 0
        errors[slot] = 0
        latencyNanos[slot] = 0
        cpuNanos[slot] = 0
        cpuSamples[slot] = 0
        databaseNanos[slot] = 0
        let base = slot * LatencyHistogram.binCount
        for bin in base..<base + LatencyHistogram.binCount { histogram[bin] = 0 }
    }

    /// The buckets of the window ending at `time`: the current one and the
    /// `slots - 1` before it (so the last minute is the current second and
    /// the 59 before it), merged.
    func totals(at time: UInt64) -> SignalTotals {
        let now = Int64(time / slotNanos)
        var totals = SignalTotals()
        for slot in 0..<slots where tags[slot] > now - Int64(slots) && tags[slot] <= now {
            totals.calls += calls[slot]
            totals.errors += errors[slot]
            totals.latencyNanos += latencyNanos[slot]
            totals.cpuNanos += cpuNanos[slot]
            totals.cpuSamples += cpuSamples[slot]
            totals.databaseNanos += databaseNanos[slot]
            let base = slot * LatencyHistogram.binCount
            for bin in 0..<LatencyHistogram.binCount { totals.histogram[bin] += UInt64(histogram[base + bin]) }
        }
        return totals
    }
}
