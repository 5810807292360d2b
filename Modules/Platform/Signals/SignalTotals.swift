/// One module's calls over one window, merged: sums, and the latency
/// histogram to answer percentiles from. The per-call and per-minute figures
/// `GET /admin/modules` shows are computed here.
public struct SignalTotals: Sendable, Equatable {
    public var calls: UInt64 = 0
    /// Calls whose handler threw: a refusal (a declined card, a missing
    /// order) as much as a fault, since either is work the module did for nothing.
    public var errors: UInt64 = 0
    /// Sum of the calls' latencies (nested calls included).
    public var latencyNanos: UInt64 = 0
    /// Sum of the own CPU time (nested calls' excluded) of the calls whose CPU was measured.
    public var cpuNanos: UInt64 = 0
    /// How many calls' CPU was measured (`CallMeasurement` samples it): `cpuNanos` is theirs.
    public var cpuSamples: UInt64 = 0
    /// Sum of the calls' own time in PostgreSQL round trips (nested calls' excluded).
    public var databaseNanos: UInt64 = 0
    /// Calls by `LatencyHistogram` bin.
    public var histogram = [UInt64](repeating: 0, count: LatencyHistogram.binCount)

    public init() {}

    public var errorRate: Double { calls == 0 ? 0 : Double(errors) / Double(calls) }
    /// The mean over the calls whose CPU was measured.
    public var cpuMillisecondsPerCall: Double {
        cpuSamples == 0 ? 0 : Double(cpuNanos) / 1e6 / Double(cpuSamples)
    }
    /// CPU milliseconds of every call, estimated from the measured ones.
    public var cpuMilliseconds: Double { cpuMillisecondsPerCall * Double(calls) }
    public var databaseMillisecondsPerCall: Double { perCall(databaseNanos) }
    public var latencyMillisecondsPerCall: Double { perCall(latencyNanos) }
    public var p50Milliseconds: Double { LatencyHistogram.quantile(0.5, of: histogram) / 1e6 }
    public var p99Milliseconds: Double { LatencyHistogram.quantile(0.99, of: histogram) / 1e6 }

    private func perCall(_ nanos: UInt64) -> Double { calls == 0 ? 0 : Double(nanos) / 1e6 / Double(calls) }
}
