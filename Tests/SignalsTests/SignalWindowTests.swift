import Testing

@testable import Signals

/// The rolling windows, driven by an injected clock: a call lands in the
/// bucket of the second (and the minute) it ended in, and leaves the
/// window once the window has rolled past it.
@Suite struct SignalWindowTests {
    static let second: UInt64 = 1_000_000_000
    static let minute: UInt64 = 60 * second
    /// Far from zero, like a monotonic clock a while after boot.
    static let t0: UInt64 = 1_000_000 * second

    @Test func callsLeaveTheMinuteAfterSixtySecondsAndTheHourAfterSixtyMinutes() {
        let meter = ModuleMeter(module: "orders")
        meter.record(latency: 2_000_000, cpu: 500_000, database: 1_000_000, failed: false, at: Self.t0)
        meter.record(latency: 4_000_000, cpu: 700_000, database: 0, failed: true, at: Self.t0 + 10 * Self.second)

        let soon = meter.totals(at: Self.t0 + 10 * Self.second)
        #expect(soon.minute.calls == 2)
        #expect(soon.minute.errors == 1)
        #expect(soon.minute.cpuNanos == 1_200_000)
        #expect(soon.minute.databaseNanos == 1_000_000)
        #expect(soon.minute.latencyNanos == 6_000_000)
        #expect(soon.hour == soon.minute)

        // 59 s on, the first call's second is the oldest of the minute; one more and it is gone.
        #expect(meter.totals(at: Self.t0 + 59 * Self.second).minute.calls == 2)
        let rolled = meter.totals(at: Self.t0 + 60 * Self.second)
        #expect(rolled.minute.calls == 1)
        #expect(rolled.minute.errors == 1)
        #expect(rolled.hour.calls == 2, "the hour still holds both")
        #expect(meter.totals(at: Self.t0 + 70 * Self.second).minute.calls == 0)

        // The hour keeps them for 60 minute buckets, the current one included.
        let minuteOfT0 = Self.t0 / Self.minute * Self.minute
        #expect(meter.totals(at: minuteOfT0 + 59 * Self.minute).hour.calls == 2)
        #expect(meter.totals(at: minuteOfT0 + 60 * Self.minute).hour.calls == 0)
    }

    @Test func aReusedBucketForgetsTheTurnBefore() {
        let meter = ModuleMeter(module: "payments")
        for _ in 0..<5 { meter.record(latency: 1_000, cpu: 1, database: 1, failed: true, at: Self.t0) }
        // A full turn later the same ring slot serves a new second: the old five must not leak into it.
        meter.record(latency: 1_000, cpu: 1, database: 1, failed: false, at: Self.t0 + 60 * Self.second)
        let now = meter.totals(at: Self.t0 + 60 * Self.second)
        #expect(now.minute.calls == 1)
        #expect(now.minute.errors == 0)
        #expect(now.minute.histogram.reduce(0, +) == 1)
        #expect(now.hour.calls == 6, "the hour spans both")
    }

    @Test func futureAndStaleBucketsAreNotCounted() {
        let meter = ModuleMeter(module: "inventory")
        meter.record(latency: 1_000, cpu: 1, database: 0, failed: false, at: Self.t0 + 5 * Self.second)
        // Read at an earlier time: the bucket is ahead of the window, not in it.
        #expect(meter.totals(at: Self.t0).minute.calls == 0)
        #expect(meter.totals(at: Self.t0 + 5 * Self.second).minute.calls == 1)
    }

    @Test func callsEndingOutOfOrderAcrossASecondLandInTheirOwnSeconds() {
        // Threads finish out of order: a call ending just before the second
        // turned may be recorded after one ending just after it.
        let meter = ModuleMeter(module: "orders")
        let late = Self.t0 + Self.second
        for time in [late - 1, late, late - 2, late + 1, late - 3] {
            meter.record(latency: 1_000, cpu: nil, database: 0, failed: false, at: time)
        }
        #expect(meter.totals(at: late - 1).minute.calls == 3, "the three of the earlier second")
        #expect(meter.totals(at: late).minute.calls == 5)
        // 60 s after the earlier second, only the later one's two remain in the minute.
        #expect(meter.totals(at: late + 59 * Self.second).minute.calls == 2)
    }
}
