import Testing

@testable import Signals

/// CPU is measured per call tree: always after a pause (real traffic),
/// else one tree in `randomSampling`; a module's CPU is estimated from its
/// measured calls.
@Suite struct CPUSamplingTests {
    @Test func aTightLoopMeasuresTheCPUOfAFewCallsOnlyButCountsEveryCall() {
        let meter = ModuleMeter(module: "bench")
        let calls = 20_000
        for _ in 0..<calls {
            let started = CallMeasurement.begin()
            CallMeasurement.end(started, in: meter, failed: false)
        }
        let minute = meter.totals(at: SignalClock.monotonic()).minute
        #expect(minute.calls == UInt64(calls))
        // About 1 in 256 at random, plus one whenever the loop was paused 50 µs (preempted).
        #expect(minute.cpuSamples > 0)
        #expect(minute.cpuSamples < UInt64(calls / 8), "\(minute.cpuSamples) of \(calls) measured")
    }

    @Test func aCallTreeAfterAPauseIsMeasuredWhole() {
        let outer = ModuleMeter(module: "outer")
        let inner = ModuleMeter(module: "inner")
        for _ in 0..<50 {
            ThreadTally.current().pointee.lastSampleEnded = 0
            let started = CallMeasurement.begin()
            let nested = CallMeasurement.begin()
            CallMeasurement.end(nested, in: inner, failed: false)
            CallMeasurement.end(started, in: outer, failed: false)
        }
        let now = SignalClock.monotonic()
        #expect(outer.totals(at: now).minute.cpuSamples == 50)
        #expect(inner.totals(at: now).minute.cpuSamples == 50)
    }

    @Test func cpuPerCallAndPerMinuteComeFromTheMeasuredCalls() {
        let meter = ModuleMeter(module: "orders")
        let time: UInt64 = 1_000_000 * 1_000_000_000
        for _ in 0..<10 { meter.record(latency: 1_000, cpu: 2_000_000, database: 0, failed: false, at: time) }
        for _ in 0..<30 { meter.record(latency: 1_000, cpu: nil, database: 0, failed: false, at: time) }
        let minute = WindowReading(totals: meter.totals(at: time).minute, minutes: 1)
        #expect(minute.totals.calls == 40 && minute.totals.cpuSamples == 10)
        #expect(minute.totals.cpuMillisecondsPerCall == 2)
        #expect(minute.cpuMillisecondsPerMinute == 80)
    }
}
