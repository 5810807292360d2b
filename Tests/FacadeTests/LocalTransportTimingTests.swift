// How much the local facade path costs over calling the handler directly.
// Prints ns/call; the bound is loose (debug builds, shared CPUs) and only
// catches a path that started serializing or searching.
import Facade
import Foundation
import Platform
import Testing

@Suite("LocalTransport overhead")
struct LocalTransportTimingTests {
    @Test func localCallCostsLittleMoreThanADirectCall() throws {
        let table = EchoModule.table()
        let transport: any Transport = LocalTransport(table)
        let context = Fixtures.context()
        let direct: @Sendable (CallContext, Int) throws -> Int = { _, number in number + 1 }
        let iterations = 200_000

        func measure(_ body: () throws -> Int) rethrows -> Double {
            var best = Double.infinity
            for _ in 0..<3 {
                let started = DispatchTime.now().uptimeNanoseconds
                var sum = 0
                for _ in 0..<iterations { sum &+= try body() }
                let elapsed = Double(DispatchTime.now().uptimeNanoseconds - started) / Double(iterations)
                #expect(sum == iterations * 42)
                best = min(best, elapsed)
            }
            return best
        }
        let routed = try measure { try transport.call(EchoOperations.add, context, 41) }
        let baseline = try measure { try direct(context, 41) }
        print("LocalTransport: \(Int(routed)) ns/call, direct closure: \(Int(baseline)) ns/call")
        #expect(routed < 20_000)
    }
}
