import Dispatch
import Facade
import Flags
import Foundation
import Platform
import Routing
import Signals

/// What the in-process path of a routed facade costs per call, measured
/// against calling the module's handler directly (`banyan bench-routing`,
/// printed by `scripts/bench routing`): the price every in-process call pays
/// for being movable, which should stay well under a microsecond.
///
/// The operation is a lookup of a module built like every other
/// (`BenchModule.swift`) with a handler that returns a ready value, so the
/// handler costs next to nothing and what is measured is the way there: the
/// facade, the flags snapshot read, the route lookup, `RouteTrace.record`
/// and the `LocalTransport` dispatch.
enum RoutingBenchmark {
    /// Nanoseconds per call, averaged over `iterations` calls after a warm-up.
    struct Figures: Sendable {
        var iterations: Int
        /// The bound handler called as a closure: the floor.
        var direct: Double
        /// `LocalTransport.call` on a table nobody measures: the operation table's dispatch.
        var localTransportUnmeasured: Double
        /// `LocalTransport.call`, measured for the module signals as in the gateway (`CallMeasurement`).
        var localTransport: Double
        /// The module's client over the monolith's routed transport, tenant in-process, outside a request.
        var routedFacade: Double
        /// The same inside a traced gateway request (`x-banyan-route` being collected).
        var routedFacadeTraced: Double

        /// What routing adds to a call made inside a request: routed facade (traced) − direct.
        var overhead: Double { routedFacadeTraced - direct }
    }

    static func run(iterations: Int = 5_000_000) throws -> Figures {
        precondition(iterations > 0, "iterations must be positive")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "banyan-bench-routing-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        // A realistic flags.json: a few dozen tenants moved, the measured one not among them.
        let moved = (0..<40).map { "\"cafe-\($0)\": \"service\"" }.joined(separator: ", ")
        let path = directory.appendingPathComponent("flags.json").path
        try Data(
            """
            {"services": {"bench": "http://127.0.0.1:4004"},
             "modules": {"bench": {"default": "in-process", "tenants": {\(moved)}}}}
            """.utf8
        ).write(to: URL(fileURLWithPath: path))
        let flags = try FlagsStore(path: path, knownModules: ["bench"], log: .discard)

        let handler = Self.handler()
        let table = OperationTable(module: "bench", decodeError: { _ in nil }).bind(BenchClient.lookup, handler)
        // Measured, as the gateway measures every module it hosts (`GET /admin/modules`).
        table.meter.attach(ModuleMeter(module: "bench"))
        let local = LocalTransport(table)
        let unmeasured = LocalTransport(
            OperationTable(module: "bench", decodeError: { _ in nil }).bind(BenchClient.lookup, handler))
        // The monolith's router, as the gateway builds it.
        let routed = ModuleRouter(
            flags: flags, calls: ServiceCalls(secret: Array(repeating: 7, count: 32)), placement: .monolith
        ).transport(
            to: ModuleInterface(name: "bench", operations: [BenchClient.lookup], decodeError: { _ in nil }), local: table)
        let facade: any BenchFacade = BenchClient(transport: routed)
        let context = CallContext(tenant: TenantID("bench-bistro")!, role: .manager, requestID: "bench-routing")
        let request = BenchReference.contractSample
        guard case .inProcess = flags.route(module: "bench", tenant: context.tenant.value) else {
            throw Problem.internalError("the benchmark tenant must be routed in-process")
        }

        let direct = measure(iterations) { try handler(context, request) }
        let viaUnmeasured = measure(iterations) { try unmeasured.call(BenchClient.lookup, context, request) }
        let viaLocal = measure(iterations) { try local.call(BenchClient.lookup, context, request) }
        let viaFacade = measure(iterations) { try facade.record(context, id: request.id) }
        RouteTrace.begin()
        let viaFacadeTraced = measure(iterations) { try facade.record(context, id: request.id) }
        let traced = RouteTrace.end()
        guard traced == ["bench=in-process"] else {
            throw Problem.internalError("unexpected route trace \(traced)")
        }
        return Figures(
            iterations: iterations, direct: direct, localTransportUnmeasured: viaUnmeasured, localTransport: viaLocal, routedFacade: viaFacade,
            routedFacadeTraced: viaFacadeTraced)
    }

    /// Built out of line so the compiler cannot see through the closure
    /// and fold the "direct" loop into nothing.
    @inline(never)
    private static func handler() -> @Sendable (CallContext, BenchReference) throws -> BenchRecord {
        let record = BenchRecord.contractSample
        return { _, request in
            var found = record
            found.id = request.id
            return found
        }
    }

    /// Mean ns per call of `body` over `iterations` calls, after a tenth as many to warm caches.
    private static func measure(_ iterations: Int, _ body: () throws -> BenchRecord) -> Double {
        var sink: Int64 = 0
        for _ in 0..<max(iterations / 10, 1) { sink &+= (try? body())?.amountCents ?? 1 }
        let started = DispatchTime.now().uptimeNanoseconds
        for _ in 0..<iterations { sink &+= (try? body())?.amountCents ?? 1 }
        let elapsed = DispatchTime.now().uptimeNanoseconds - started
        blackHole(sink)
        return Double(elapsed) / Double(iterations)
    }

    @inline(never)
    private static func blackHole(_ value: Int64) {
        if value == 42 { print("", terminator: "") }
    }
}
