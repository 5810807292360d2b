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
    /// Nanoseconds per call over `iterations` calls, after a warm-up (see `measure`).
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

        let figures = measure(
            iterations,
            [
                Subject { try handler(context, request) },
                Subject { try unmeasured.call(BenchClient.lookup, context, request) },
                Subject { try local.call(BenchClient.lookup, context, request) },
                Subject { try facade.record(context, id: request.id) },
                Subject(traced: true) { try facade.record(context, id: request.id) },
            ])
        RouteTrace.begin()
        _ = try facade.record(context, id: request.id)
        let traced = RouteTrace.end()
        guard traced == ["bench=in-process"] else {
            throw Problem.internalError("unexpected route trace \(traced)")
        }
        return Figures(
            iterations: iterations, direct: figures[0], localTransportUnmeasured: figures[1], localTransport: figures[2],
            routedFacade: figures[3], routedFacadeTraced: figures[4])
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

    /// One way of making the call, timed in rounds of many calls.
    private struct Subject {
        /// Timed inside a traced request (`RouteTrace` begun around each round,
        /// as the gateway's responder begins it around a request's many calls).
        var traced = false
        var call: () throws -> BenchRecord
    }

    /// Ns per call of each subject: the median over `rounds` rounds, each
    /// timing a `rounds`th of the calls of every subject in turn, after a
    /// tenth as many to warm caches. Interleaved, so a slow spell of the
    /// machine (a neighbour on the host, a compile) falls on every subject
    /// alike and moves a round rather than one figure.
    private static func measure(_ iterations: Int, rounds: Int = 15, _ subjects: [Subject]) -> [Double] {
        var sink: Int64 = 0
        func run(_ subject: Subject, _ calls: Int) {
            if subject.traced { RouteTrace.begin() }
            for _ in 0..<calls { sink &+= (try? subject.call())?.amountCents ?? 1 }
            if subject.traced { _ = RouteTrace.end() }
        }
        for subject in subjects { run(subject, max(iterations / 10, 1)) }
        let perRound = max(iterations / rounds, 1)
        var figures = Array(repeating: [Double](), count: subjects.count)
        for _ in 0..<rounds {
            for (index, subject) in subjects.enumerated() {
                let started = DispatchTime.now().uptimeNanoseconds
                run(subject, perRound)
                figures[index].append(Double(DispatchTime.now().uptimeNanoseconds - started) / Double(perRound))
            }
        }
        blackHole(sink)
        return figures.map { $0.sorted()[rounds / 2] }
    }

    @inline(never)
    private static func blackHole(_ value: Int64) {
        if value == 42 { print("", terminator: "") }
    }
}
