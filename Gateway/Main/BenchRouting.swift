import Bootstrap
import Foundation
import Gateway

/// `banyan bench-routing [N]`: ns per call of the in-process routed facade
/// against the module's handler called directly (see `RoutingBenchmark`).
/// Not in the usage text: a measuring tool for `scripts/bench routing`.
func benchRouting(_ arguments: [String]) -> Never {
    let iterations = arguments.first.flatMap { Int($0) } ?? 5_000_000
    do {
        let figures = try RoutingBenchmark.run(iterations: iterations)
        func line(_ name: String, _ nanoseconds: Double) -> String {
            name.padding(toLength: 44, withPad: " ", startingAt: 0) + String(format: "%8.1f ns/call", nanoseconds)
        }
        print("in-process routing, \(figures.iterations) calls each (a lookup with a trivial handler)")
        print(line("direct handler call", figures.direct))
        print(line("LocalTransport (unmeasured table)", figures.localTransportUnmeasured))
        print(line("LocalTransport (measured, as in the gateway)", figures.localTransport))
        print(line("routed facade (outside a request)", figures.routedFacade))
        print(line("routed facade (in a request, route traced)", figures.routedFacadeTraced))
        print(line("routing overhead (routed traced - direct)", figures.overhead))
        exit(0)
    } catch {
        Startup.fail("bench-routing failed: \(error)")
    }
}
