import Bootstrap
import Foundation
import Gateway

/// `banyan bench-routing [N]`: ns per call of the in-process routed facade
/// against the module's handler called directly (see `RoutingBenchmark`);
/// `scripts/bench routing` runs it.
enum BenchRoutingCommand {
    static let usage = """
        usage: banyan bench-routing [N]
          Times N calls (default 5000000) of the in-process routed facade against a direct
          call of the module's handler, and prints ns per call of each path.
        """

    static let command = Subcommand(
        name: "bench-routing", summary: "time the in-process routed facade against a direct call (scripts/bench)",
        usage: usage,
        run: { arguments in
            guard arguments.count <= 1 else {
                Terminal.usageError("bench-routing", "unexpected argument \(arguments[1])", usage: usage)
            }
            var iterations = 5_000_000
            if let given = arguments.first {
                guard let count = Int(given), count > 0 else {
                    Terminal.usageError("bench-routing", "N must be a positive number of calls, not \(given)", usage: usage)
                }
                iterations = count
            }
            run(iterations: iterations)
        })

    private static func run(iterations: Int) -> Never {
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
}
