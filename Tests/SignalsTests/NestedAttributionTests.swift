import BanyanTestSupport
import Facade
import Platform
import Postgres
import Testing

@testable import Signals

/// A module that calls another in-process: CPU and database time go to the
/// module that spent them (the innermost), never to both; latency is each
/// call's whole wait. Over a real PostgreSQL (`pg_sleep`), with CPU burnt by
/// thread CPU time so the machine's load does not change the amounts.
@Suite struct NestedAttributionTests {
    let connection: PostgresConnection
    init() throws { connection = try PostgresConnection(conninfo: TestDatabase.makeDatabase("signals")) }

    @Test func nestedCallsCountOnlyForTheInnermostModule() throws {
        let signals = ModuleSignals(modules: ["outer", "inner"])
        let (outer, _) = MeasuredModules.transports(signals: signals, connection: connection)
        let context = CallContext(tenant: TenantID("signals-test")!, requestID: "nested")
        // As after a pause: the tree's CPU is measured, not left to the random sample.
        ThreadTally.current().pointee.lastSampleEnded = 0
        _ = try outer.call(
            MeasuredModules.outer, context,
            Work(cpuMilliseconds: 5, sleepSeconds: 0.01, inner: 0.05, innerCPUMilliseconds: 20))

        let readings = Dictionary(uniqueKeysWithValues: signals.readings().map { ($0.module, $0.minute.totals) })
        let (outerTotals, innerTotals) = (try #require(readings["outer"]), try #require(readings["inner"]))
        #expect(outerTotals.calls == 1 && innerTotals.calls == 1)
        #expect(outerTotals.cpuSamples == 1 && innerTotals.cpuSamples == 1, "the whole tree is measured")
        let ms = 1_000_000.0
        // Its own 20 ms; the outer's own 5 ms, not 25 (which would count the inner's again).
        #expect(Double(innerTotals.cpuNanos) >= 20 * ms && Double(innerTotals.cpuNanos) < 35 * ms, "\(innerTotals)")
        #expect(Double(outerTotals.cpuNanos) >= 5 * ms && Double(outerTotals.cpuNanos) < 20 * ms, "\(outerTotals)")
        // Database: the inner's 50 ms sleep is its own; the outer's is its 10 ms (60 if counted twice).
        #expect(Double(innerTotals.databaseNanos) >= 50 * ms, "\(innerTotals)")
        #expect(Double(outerTotals.databaseNanos) >= 10 * ms && Double(outerTotals.databaseNanos) < 50 * ms)
        // Latency is the whole wait: the outer's includes the inner call.
        #expect(outerTotals.latencyNanos > innerTotals.latencyNanos + outerTotals.databaseNanos)
    }

    @Test func aThrowingCallIsAnErrorOfItsModuleOnly() throws {
        let signals = ModuleSignals(modules: ["outer", "inner"])
        let (outer, inner) = MeasuredModules.transports(signals: signals, connection: connection)
        let context = CallContext(tenant: TenantID("signals-test")!, requestID: "errors")
        // The outer handler swallows the inner failure, as a caller that handles a refusal does.
        _ = try outer.call(MeasuredModules.outer, context, Work(cpuMilliseconds: 0, sleepSeconds: 0, fails: true, inner: 0))
        #expect(throws: Problem.self) {
            _ = try inner.call(MeasuredModules.inner, context, Work(cpuMilliseconds: 0, sleepSeconds: 0, fails: true))
        }
        _ = try inner.call(MeasuredModules.inner, context, Work(cpuMilliseconds: 0, sleepSeconds: 0))

        let readings = Dictionary(uniqueKeysWithValues: signals.readings().map { ($0.module, $0.minute.totals) })
        #expect(readings["outer"]?.calls == 1 && readings["outer"]?.errors == 0)
        #expect(readings["inner"]?.calls == 3 && readings["inner"]?.errors == 2)
    }

    @Test func aRoundTripAddsItsWaitToTheCallingThread() throws {
        let before = DatabaseTime.threadTotal
        try connection.query("SELECT pg_sleep(0.02)")
        #expect(DatabaseTime.threadTotal - before >= 20_000_000)
        // Time outside a round trip is not database time.
        let idle = DatabaseTime.threadTotal
        MeasuredModules.burn(milliseconds: 5)
        #expect(DatabaseTime.threadTotal == idle)
    }
}
