import Testing

@testable import Signals

/// The list `GET /admin/modules` shows: every module, idle ones at zero, the
/// most CPU per minute first, rates over the time this process has measured.
@Suite struct ModuleSignalsTests {
    static let second: UInt64 = 1_000_000_000
    static let ms: UInt64 = 1_000_000

    @Test func everyModuleIsListedTheBusiestFirstAndIdleOnesAtZero() throws {
        let clock = ManualClock()
        let signals = ModuleSignals(modules: ["auth", "orders", "payments", "chatbot"], clock: clock.read)
        clock.advance(seconds: 30)
        let now = clock.read()
        // Orders: many cheap calls; payments: few, each costly, a quarter failing.
        for _ in 0..<40 { signals.meter(for: "orders")!.record(latency: 3 * Self.ms, cpu: 1 * Self.ms, database: 1 * Self.ms, failed: false, at: now) }
        for index in 0..<8 {
            signals.meter(for: "payments")!.record(
                latency: 20 * Self.ms, cpu: 10 * Self.ms, database: 1 * Self.ms, failed: index % 4 == 0, at: now)
        }
        signals.meter(for: "auth")!.record(latency: 9 * Self.ms, cpu: 0, database: 8 * Self.ms, failed: false, at: now)

        let readings = signals.readings()
        #expect(readings.map(\.module) == ["payments", "orders", "auth", "chatbot"])
        let payments = readings[0]
        #expect(payments.minute.totals.calls == 8)
        #expect(payments.minute.callsPerMinute == 8)
        #expect(payments.minute.cpuMillisecondsPerMinute == 80)
        #expect(payments.minute.totals.errorRate == 0.25)
        #expect(payments.why.hasPrefix("most CPU per minute (80 ms/min, 67% of all modules'"), "\(payments.why)")
        #expect(readings[1].why.hasPrefix("2nd most CPU per minute"), "\(readings[1].why)")
        #expect(readings[2].why.hasPrefix("mostly waits on the database (8.0 of 9.0 ms per call)"), "\(readings[2].why)")
        let chatbot = readings[3]
        #expect(chatbot.minute.totals == SignalTotals() && chatbot.hour.totals == SignalTotals())
        #expect(chatbot.why == "no calls in the last hour")
    }

    @Test func theHourIsOverTheMinutesThisProcessHasLived() {
        let clock = ManualClock()
        let signals = ModuleSignals(modules: ["orders"], clock: clock.read)
        let meter = signals.meter(for: "orders")!
        // 60 calls a minute for ten minutes.
        for minute in 0..<10 {
            for _ in 0..<60 { meter.record(latency: 1_000, cpu: 1_000, database: 0, failed: false, at: clock.read()) }
            if minute < 9 { clock.advance(seconds: 60) }
        }
        clock.advance(seconds: 30)
        let orders = signals.readings()[0]
        #expect(orders.hour.totals.calls == 600)
        // 9.5 minutes lived: 600 / 9.5, not 600 / 60.
        #expect(abs(orders.hour.callsPerMinute - 600 / 9.5) < 0.001)
        #expect(orders.minute.totals.calls == 60, "the last minute holds the last burst only")
        // Busy in the hour but not the last minute: the why says so, from the hour.
        clock.advance(seconds: 60)
        let later = signals.readings()[0]
        #expect(later.minute.totals.calls == 0)
        #expect(later.why.contains("last hour"), "\(later.why)")
    }

    @Test func aWindowNeverDividesByLessThanAMinute() {
        let reading = WindowReading(totals: SignalTotals(), minutes: 0.01)
        #expect(reading.minutes == 1)
    }
}
