import Facade
import Flags
import Foundation
import Metrics
import Platform
import Routing
import Testing

/// A module's breaker and fallback as routed calls meet them: through a real
/// `ModuleRouter` over a flags.json on disk, to a real service over HTTP (or
/// a port nothing listens on), with the in-process home a counting table.
@Suite(.serialized) final class BreakerRoutingTests {
    let secret = Array("breaker-routing-tests-secret-32by".utf8)
    let clock = BreakerTestClock()
    let directory: String
    let flags: FlagsStore
    let local = BreakerTally.Home("local")
    let remote = BreakerTally.Home("service")
    let service: BreakerTally.Server
    /// Nothing listens there: every connection is refused.
    static let deadURL = "http://127.0.0.1:1"

    init() throws {
        directory = NSTemporaryDirectory() + "breaker-routing-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        service = try BreakerTally.Server(remote, secret: secret)
        try Self.write(directory + "/flags.json", url: Self.deadURL, fallback: false)
        flags = try FlagsStore(path: directory + "/flags.json", log: .discard)
    }

    deinit {
        remote.release()
        service.stop()
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Every tenant's tally calls homed in the service at `url`, with a breaker that opens after 3 failures for 10 s.
    static func write(_ path: String, url: String, fallback: Bool) throws {
        let text = """
            {"services": {"tally": "\(url)"},
             "modules": {"tally": {"default": "service", "tenants": {}\(fallback ? #", "fallback": "in-process""# : ""),
                                   "breaker": {"failures": 3, "open_seconds": 10}}}}
            """
        try Data(text.utf8).write(to: URL(fileURLWithPath: path + ".tmp"))
        guard rename(path + ".tmp", path) == 0 else { throw CocoaError(.fileWriteUnknown) }
    }

    func route(to url: String, fallback: Bool) throws {
        try Self.write(flags.path, url: url, fallback: fallback)
        #expect(flags.reloadNow(), "flags.json reloaded")
    }

    /// The monolith's transport to the tally module: the counting table here, the service by flags.json.
    func monolith(timeout: Double = 2) -> (any Transport, CircuitBreakers) {
        let breakers = CircuitBreakers(clock: clock.clock)
        let router = ModuleRouter(
            flags: flags, calls: ServiceCalls(secret: secret, connectTimeout: timeout, totalTimeout: timeout),
            placement: .monolith, breakers: breakers)
        return (router.transport(to: BreakerTally.interface, local: local.table), breakers)
    }

    /// The process's module-call sample `name` for tally.add on the service path, with `labels` too; 0 when none.
    static func serviceCalls(_ name: String, _ labels: [String: String] = [:]) -> Double {
        let wanted = labels.merging(["module": "tally", "operation": "tally.add", "path": "service"]) { $1 }
        return MetricsRegistry.process.collect().flatMap(\.samples).first { sample in
            sample.name == name
                && wanted.allSatisfy { label in sample.labels.contains { $0.name == label.key && $0.value == label.value } }
        }?.value ?? 0
    }

    /// One call, with the routes `x-banyan-route` would show for it.
    func call(_ transport: any Transport) -> (result: Result<BreakerTally.Reply, any Error>, routes: [String]) {
        RouteTrace.begin()
        let result = Result { try transport.call(BreakerTally.add, BreakerTally.context, .init(key: "k")) }
        return (result, RouteTrace.end())
    }

    @Test func withAFallbackACallThatNeverReachedTheServiceRunsInProcessOnce() throws {
        try route(to: Self.deadURL, fallback: true)
        let (transport, breakers) = monolith()
        for attempt in 1...3 {
            let (result, routes) = call(transport)
            #expect(try result.get().servedBy == "local", "attempt \(attempt)")
            #expect(routes == ["tally=service", "tally=fallback"], "tried the service, then served in-process")
            #expect(local.count == attempt, "run in-process exactly once per call")
        }
        // Three refused connections opened the breaker: the next call goes straight to the fallback.
        #expect(breakers.snapshot(flags.current).map(\.state) == ["open"])
        let (result, routes) = call(transport)
        #expect(try result.get().servedBy == "local")
        #expect(routes == ["tally=fallback"], "the open breaker sent nothing to the service")
        #expect(local.count == 4)

        // The fallback is read per call: without it, the open breaker answers unavailable, never reached.
        try route(to: Self.deadURL, fallback: false)
        let (refused, refusedRoutes) = call(transport)
        let error = try #require(refused.failure as? ModuleUnavailable)
        #expect(error.neverReached && error.module == "tally")
        #expect(refusedRoutes.isEmpty)
        #expect(local.count == 4)
    }

    @Test func withoutAFallbackAnOpenBreakerAnswersUnavailableAtOnceWithoutCallingTheService() throws {
        remote.behaviour.withLock { $0 = .fail }
        try route(to: service.url, fallback: false)
        let (transport, breakers) = monolith()
        for _ in 1...3 {
            let error = try #require(call(transport).result.failure as? ModuleUnavailable)
            #expect(!error.neverReached, "the service was reached and failed")
        }
        #expect(remote.count == 3)
        #expect(breakers.snapshot(flags.current).map(\.state) == ["open"])

        let refusedBefore = Self.serviceCalls("banyan_module_calls_total", ["outcome": "error"])
        let timedBefore = Self.serviceCalls("banyan_module_call_duration_seconds_count")
        for _ in 1...5 {
            let (result, routes) = call(transport)
            let error = try #require(result.failure as? ModuleUnavailable)
            #expect(error.neverReached)
            // At the edge: 503 module_unavailable, "reached": false.
            #expect(error.problem.status == 503 && error.problem.code == "module_unavailable")
            #expect(error.problem.extensions["reached"] == .bool(false))
            #expect(routes.isEmpty)
        }
        #expect(remote.count == 3, "no call reached the service while the breaker was open")
        #expect(local.count == 0)
        // Counted on the service's path as failed calls, with their code; not timed, since none was made.
        #expect(Self.serviceCalls("banyan_module_calls_total", ["outcome": "error"]) == refusedBefore + 5)
        #expect(Self.serviceCalls("banyan_module_call_duration_seconds_count") == timedBefore)
        #expect(Self.serviceCalls("banyan_module_call_errors_total", ["code": "module_unavailable"]) >= 5)

        // After open_seconds one probe goes through; the service answers again, so the breaker closes.
        remote.behaviour.withLock { $0 = .answer }
        clock.advance(10)
        let (probe, routes) = call(transport)
        #expect(try probe.get().servedBy == "service")
        #expect(routes == ["tally=service"])
        #expect(remote.count == 4)
        #expect(breakers.snapshot(flags.current).map(\.state) == ["closed"])
    }

    @Test func aFailureAfterTheServiceWasReachedIsNeverRetriedInProcess() throws {
        try route(to: service.url, fallback: true)
        let (transport, _) = monolith(timeout: 0.5)

        // Held past the caller's timeout: the charge may have run there, or may yet.
        remote.behaviour.withLock { $0 = .hold }
        let (held, heldRoutes) = call(transport)
        let timedOut = try #require(held.failure as? ModuleUnavailable)
        #expect(!timedOut.neverReached)
        #expect(heldRoutes == ["tally=service"])
        remote.release()

        // A 503 from the service's own machinery: reached, outcome unknown.
        remote.behaviour.withLock { $0 = .fail }
        let (failed, failedRoutes) = call(transport)
        #expect((failed.failure as? ModuleUnavailable)?.neverReached == false)
        #expect(failedRoutes == ["tally=service"])

        #expect(remote.count == 2)
        #expect(local.count == 0, "an ambiguous failure ran again in-process")
    }

    @Test func aServiceFallsBackToTheMonolithsInternalListener() throws {
        // A process that does not host tally (a service calling it): its in-process home is the monolith, over HTTP.
        let monolith = try BreakerTally.Server(local, secret: secret)
        defer { monolith.stop() }
        try route(to: Self.deadURL, fallback: true)
        let router = ModuleRouter(
            flags: flags, calls: ServiceCalls(secret: secret), placement: .service(module: "orders"),
            monolithURL: monolith.url, breakers: CircuitBreakers(clock: clock.clock))
        let transport = router.transport(to: BreakerTally.interface, local: nil)
        let (result, routes) = call(transport)
        #expect(try result.get().servedBy == "local")
        #expect(routes == ["tally=service", "tally=fallback"])
        #expect(local.count == 1)
    }
}

extension Result {
    var failure: Failure? {
        if case .failure(let error) = self { error } else { nil }
    }
}
