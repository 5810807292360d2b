import Synchronization

/// One module's calls, over the last minute (per-second buckets) and the
/// last hour (per-minute buckets). Every call is recorded in both.
///
/// Thread-safe: one short lock per call, held for a few additions; the
/// latency's bin is found before taking it. Reading merges 120 buckets
/// under the same lock, tens of microseconds, once per `GET /admin/modules`.
public final class ModuleMeter: Sendable {
    public let module: String
    private let windows = Mutex(Windows())

    struct Windows: Sendable {
        var minute = SignalWindow(slots: 60, slotNanos: 1_000_000_000)
        var hour = SignalWindow(slots: 60, slotNanos: 60_000_000_000)
    }

    public init(module: String) {
        self.module = module
    }

    /// One call that ended at `time` (a `SignalClock.monotonic()` reading,
    /// or any clock's nanoseconds, as long as reads use the same clock);
    /// `cpu` nil when its CPU was not measured (`CallMeasurement`'s sampling).
    @inline(__always)
    public func record(latency: UInt64, cpu: UInt64?, database: UInt64, failed: Bool, at time: UInt64) {
        let bin = LatencyHistogram.bin(of: latency)
        windows.withLock { windows in
            windows.minute.record(
                latencyBin: bin, latency: latency, cpu: cpu, database: database, failed: failed, at: time)
            windows.hour.record(
                latencyBin: bin, latency: latency, cpu: cpu, database: database, failed: failed, at: time)
        }
    }

    /// The calls of the minute and of the hour ending at `time`.
    public func totals(at time: UInt64) -> (minute: SignalTotals, hour: SignalTotals) {
        windows.withLock { ($0.minute.totals(at: time), $0.hour.totals(at: time)) }
    }
}
