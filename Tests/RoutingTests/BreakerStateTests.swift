import Flags
import Platform
import Routing
import Testing

/// The circuit breaker's state machine, on a clock the tests move: when it
/// opens, what it refuses, its half-open probe, and what counts as a failure.
@Suite struct BreakerStateTests {
    /// Stands for a module's typed error, e.g. a declined card: the service answered.
    struct Declined: Error {}

    let clock = BreakerTestClock()
    let breaker: CircuitBreaker
    static let refused = ModuleUnavailable(module: "payments", reason: "connection refused", neverReached: true)

    init() {
        breaker = CircuitBreaker(module: "payments", url: "http://127.0.0.1:4004", clock: clock.clock)
    }

    /// One call through the breaker: admitted or not, and counted with `error`'s outcome (nil: success).
    @discardableResult
    private func call(_ error: (any Error)?, _ settings: BreakerSettings.Effective) -> CircuitBreaker.Ticket {
        let ticket = breaker.admit(settings)
        guard ticket.admitted else { return ticket }
        breaker.record(error.map(breaker.outcome(of:)) ?? .success, ticket, settings)
        return ticket
    }

    private func state(_ settings: BreakerSettings.Effective) -> String { breaker.snapshot(settings).state }

    @Test func opensAfterTheConfiguredConsecutiveFailuresAndASuccessResetsTheCount() {
        let settings = BreakerSettings(failures: 3, minimumCalls: 1000).effective
        call(Self.refused, settings)
        call(Self.refused, settings)
        call(nil, settings)
        call(Self.refused, settings)
        call(Self.refused, settings)
        #expect(state(settings) == "closed", "two in a row since the success")
        #expect(breaker.snapshot(settings).consecutiveFailures == 2)
        call(Self.refused, settings)
        #expect(state(settings) == "open")
        #expect(breaker.snapshot(settings).lastFailure == "connection refused")
    }

    @Test func opensOnTheErrorRateOnlyOnceTheWindowHoldsTheMinimumCalls() {
        let settings = BreakerSettings(failures: 100, errorRate: 50, windowSeconds: 10, minimumCalls: 10).effective
        // Alternating: never two failures in a row, half of them failed.
        for index in 0..<9 {
            call(index % 2 == 0 ? Self.refused : nil, settings)
            clock.advance(0.5)
        }
        #expect(state(settings) == "closed", "9 calls, 5 failed: under the minimum")
        #expect(breaker.snapshot(settings).errorRate == 55)
        call(nil, settings)
        #expect(state(settings) == "closed", "a success does not trip it")
        call(Self.refused, settings)
        #expect(state(settings) == "open", "11 calls, 6 failed: 54% ≥ 50%")
    }

    @Test func callsOlderThanTheWindowNoLongerCount() {
        let settings = BreakerSettings(failures: 100, errorRate: 50, windowSeconds: 5, minimumCalls: 4).effective
        for _ in 0..<3 { call(Self.refused, settings) }
        clock.advance(6)
        call(nil, settings)
        call(nil, settings)
        call(nil, settings)
        call(Self.refused, settings)
        // In the window: 3 successes and 1 failure, 25%; the three old failures left it.
        #expect(breaker.snapshot(settings).windowCalls == 4)
        #expect(state(settings) == "closed")
    }

    @Test(arguments: [
        ("a module's own error", Declined() as any Error),
        ("access denied", AccessDenied(needed: .admin) as any Error),
        ("another module reported unavailable", ModuleUnavailable(module: "inventory", reason: "reported by the service")),
        ("the bulkhead full", ModuleBusy(module: "payments")),
        ("the deadline passed before sending", DeadlineExceeded()),
    ])
    func answersAndUnsentCallsAreNotFailures(_ label: String, _ error: any Error) {
        let settings = BreakerSettings(failures: 2).effective
        for _ in 0..<5 { call(error, settings) }
        #expect(state(settings) == "closed", "\(label)")
        #expect(breaker.snapshot(settings).consecutiveFailures == 0, "\(label)")
    }

    @Test func anUnreachableServiceAndATimeoutAreFailures() {
        let settings = BreakerSettings(failures: 2).effective
        call(ModuleUnavailable(module: "payments", reason: "timed out"), settings)
        call(ModuleUnavailable(module: "payments", reason: "service answered 503 server_busy"), settings)
        #expect(state(settings) == "open")
    }

    @Test func openRefusesUntilOpenSecondsThenLetsExactlyOneProbeThrough() {
        let settings = BreakerSettings(failures: 1, openSeconds: 10).effective
        call(Self.refused, settings)
        #expect(!breaker.admit(settings).admitted)
        clock.advance(9.9)
        #expect(!breaker.admit(settings).admitted, "still open before open_seconds")
        clock.advance(0.1)
        let probe = breaker.admit(settings)
        #expect(probe.admitted && probe.isProbe)
        #expect(state(settings) == "half-open")
        // While the probe is out, everyone else is refused.
        for _ in 0..<3 { #expect(!breaker.admit(settings).admitted) }
        breaker.record(.success, probe, settings)
        #expect(state(settings) == "closed")
        let next = breaker.admit(settings)
        #expect(next.admitted && !next.isProbe)
        #expect(breaker.snapshot(settings).openedAt == nil)
    }

    @Test func aFailedProbeReopensForAnotherOpenSecondsWithoutRestartingTheDownTime() throws {
        let settings = BreakerSettings(failures: 1, openSeconds: 10).effective
        call(Self.refused, settings)
        let openedAt = try #require(breaker.snapshot(settings).openedAt)
        clock.advance(10)
        let probe = breaker.admit(settings)
        #expect(probe.isProbe)
        breaker.record(breaker.outcome(of: Self.refused), probe, settings)
        #expect(state(settings) == "open")
        clock.advance(9)
        #expect(!breaker.admit(settings).admitted, "the open time restarted at the failed probe")
        clock.advance(1)
        #expect(breaker.admit(settings).isProbe)
        // Down since the first opening: the time the automatic rollback measures.
        #expect(breaker.snapshot(settings).openedAt == openedAt)
        #expect(breaker.snapshot(settings).openForSeconds == 20)
    }

    @Test func aProbeThatWasNeverSentFreesTheSlotForTheNextCaller() {
        let settings = BreakerSettings(failures: 1, openSeconds: 1).effective
        call(Self.refused, settings)
        clock.advance(1)
        let probe = breaker.admit(settings)
        breaker.record(breaker.outcome(of: DeadlineExceeded()), probe, settings)
        #expect(state(settings) == "half-open")
        #expect(breaker.admit(settings).isProbe)
    }

    @Test func aSettingsChangeAppliesOnTheNextCall() {
        let lenient = BreakerSettings(failures: 10, openSeconds: 30).effective
        let strict = BreakerSettings(failures: 3, openSeconds: 5).effective
        for _ in 0..<3 { call(Self.refused, lenient) }
        #expect(state(lenient) == "closed")
        call(Self.refused, strict)
        #expect(state(strict) == "open", "4 in a row ≥ 3")
        clock.advance(5)
        #expect(!breaker.admit(lenient).admitted, "30 s under the old settings")
        #expect(breaker.admit(strict).isProbe, "5 s under the new")
    }

    @Test func lateAnswersOfCallsAdmittedBeforeItOpenedChangeNothing() {
        let settings = BreakerSettings(failures: 2, openSeconds: 10).effective
        let slow = breaker.admit(settings)
        call(Self.refused, settings)
        call(Self.refused, settings)
        #expect(state(settings) == "open")
        breaker.record(.success, slow, settings)
        #expect(state(settings) == "open", "only a probe closes it")
    }

    @Test func theRegistryKeepsOneBreakerPerModuleAndURL() {
        let breakers = CircuitBreakers(clock: clock.clock)
        let first = breakers.breaker(module: "payments", url: "http://a")
        #expect(breakers.breaker(module: "payments", url: "http://a") === first)
        #expect(breakers.breaker(module: "payments", url: "http://b") !== first, "a new URL, a fresh breaker")
        #expect(breakers.breaker(module: "orders", url: "http://a") !== first)
        let settings = BreakerSettings(failures: 1).effective
        first.record(.failure(reason: "x"), first.admit(settings), settings)
        let states = breakers.snapshot(.defaults).map { "\($0.module) \($0.url) \($0.state)" }
        #expect(states == ["orders http://a closed", "payments http://a open", "payments http://b closed"])
    }
}
