import Facade
import Metrics
import Platform
import Signals
import Testing

/// A call the routed transport serves from this process's table is timed
/// once, and that one latency goes both to the module signals (the table's
/// meter) and to the module-call metrics (`ModuleCallMetrics.Series`).
@Suite struct LocalTransportCountingTests {
    let table = EchoModule.table()
    let registry = MetricsRegistry()

    func series<Request, Response>(_ operation: Operation<Request, Response>) -> ModuleCallMetrics.Series {
        ModuleCallMetrics(registry: registry).series(
            module: "echo", operation: operation.name, index: operation.index, path: .inProcess)
    }

    /// The value of the sample `name` whose labels include `labels`.
    func value(_ name: String, _ labels: [String: String]) -> Double? {
        registry.collect().flatMap(\.samples).first { sample in
            sample.name == name
                && labels.allSatisfy { label in sample.labels.contains { $0.name == label.key && $0.value == label.value } }
        }?.value
    }

    @Test func aMeasuredCallIsTimedOnceForTheSignalsAndTheMetrics() throws {
        let meter = table.meter.attach(ModuleMeter(module: "echo"))
        let transport = LocalTransport(table)
        let adds = series(EchoOperations.add), says = series(EchoOperations.say)
        for number in 0..<40 {
            #expect(try transport.call(EchoOperations.add, Fixtures.context(), number, countingIn: adds) == number + 1)
        }
        for _ in 0..<3 {
            #expect(throws: EchoError(kind: .silence)) {
                try transport.call(EchoOperations.say, Fixtures.context(), SayRequest(text: ""), countingIn: says)
            }
        }

        let labels = ["module": "echo", "operation": "echo.add", "path": "in-process"]
        #expect(value("banyan_module_calls_total", labels.merging(["outcome": "ok"]) { $1 }) == 40)
        #expect(value("banyan_module_call_duration_seconds_count", labels) == 40, "every call timed, none sampled out")
        let failed = ["module": "echo", "operation": "echo.say", "path": "in-process"]
        #expect(value("banyan_module_calls_total", failed.merging(["outcome": "error"]) { $1 }) == 3)
        #expect(value("banyan_module_call_errors_total", failed.merging(["code": "echo_silence"]) { $1 }) == 3)

        // The signals saw the same 43 calls, and the same latencies: the two
        // histograms' sums agree to the nanosecond (the seconds are doubles).
        let signals = meter.totals(at: SignalClock.monotonic()).minute
        #expect(signals.calls == 43 && signals.errors == 3)
        let seconds = try #require(value("banyan_module_call_duration_seconds_sum", labels))
            + (try #require(value("banyan_module_call_duration_seconds_sum", failed)))
        #expect(abs(seconds * 1e9 - Double(signals.latencyNanos)) < 1, "one clock reading per end, shared")
    }

    @Test func anUnmeasuredTableIsStillTimedForTheMetrics() throws {
        let transport = LocalTransport(table)
        let adds = series(EchoOperations.add)
        for number in 0..<5 { _ = try transport.call(EchoOperations.add, Fixtures.context(), number, countingIn: adds) }
        let labels = ["module": "echo", "operation": "echo.add", "path": "in-process"]
        #expect(value("banyan_module_call_duration_seconds_count", labels) == 5)
        #expect(value("banyan_module_calls_total", labels.merging(["outcome": "ok"]) { $1 }) == 5)
        #expect(table.meter.current == nil)
    }

    @Test func theSameOperationAndPathResolveToOneSeriesFromManyThreads() async {
        let metrics = ModuleCallMetrics(registry: registry)
        let operations = [EchoOperations.add.index, EchoOperations.say.index, EchoOperations.list.index]
        // Eight tasks resolve the same twelve series at once; each must get the one made first.
        let seen = await withTaskGroup(of: [ObjectIdentifier].self) { group in
            for _ in 0..<8 {
                group.addTask {
                    operations.flatMap { index in
                        CallPath.allCases.map { path in
                            ObjectIdentifier(metrics.series(module: "echo", operation: "echo.op\(index)", index: index, path: path))
                        }
                    }
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(seen.count == 8)
        #expect(Set(seen).count == 1, "every task got the same series")
        #expect(Set(seen[0]).count == operations.count * CallPath.allCases.count)
    }
}
