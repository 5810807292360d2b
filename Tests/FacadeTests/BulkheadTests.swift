import Facade
import Foundation
import Platform
import Synchronization
import Testing

/// `Bulkhead` on its own: the cap holds under contention, a refused call
/// never runs, and every slot comes back however the call ended.
@Suite struct BulkheadTests {
    struct Boom: Error, Equatable {}

    @Test func theCapHoldsUnderContentionFromManyThreads() {
        let bulkhead = Bulkhead(module: "echo", limit: 3)
        let running = Atomic<Int>(0)
        let most = Atomic<Int>(0)
        let ran = Atomic<Int>(0)
        let refused = Atomic<Int>(0)
        let otherErrors = Atomic<Int>(0)
        // Real threads, many more than cores (`concurrentPerform` runs only as many as there are cores).
        let done = DispatchGroup()
        for _ in 0..<32 {
            done.enter()
            Thread {
                defer { done.leave() }
                for _ in 0..<100 {
                    do {
                        try bulkhead.run {
                            let now = running.add(1, ordering: .sequentiallyConsistent).newValue
                            most.max(now, ordering: .sequentiallyConsistent)
                            usleep(100)
                            running.subtract(1, ordering: .sequentiallyConsistent)
                            ran.add(1, ordering: .relaxed)
                        }
                    } catch let busy as ModuleBusy where busy == ModuleBusy(module: "echo") {
                        refused.add(1, ordering: .relaxed)
                    } catch {
                        otherErrors.add(1, ordering: .relaxed)
                    }
                }
            }.start()
        }
        #expect(done.wait(timeout: .now() + 30) == .success)
        let (mostAtOnce, calls, refusals, others) = (
            most.load(ordering: .sequentiallyConsistent), ran.load(ordering: .relaxed), refused.load(ordering: .relaxed),
            otherErrors.load(ordering: .relaxed)
        )
        #expect(mostAtOnce <= 3, "\(mostAtOnce) calls ran at once")
        #expect(others == 0)
        #expect(calls + refusals == 3200)
        #expect(calls > 0 && refusals > 0, "\(calls) ran, \(refusals) refused: no contention")
        #expect(bulkhead.current == 0)
    }

    @Test func aCallBeyondTheCapIsRefusedAtOnceWithoutRunning() throws {
        let bulkhead = Bulkhead(module: "echo", limit: 2)
        let entered = DispatchSemaphore(value: 0)
        let release = DispatchSemaphore(value: 0)
        let done = DispatchGroup()
        for _ in 0..<2 {
            done.enter()
            Thread {
                _ = try? bulkhead.run {
                    entered.signal()
                    release.wait()
                }
                done.leave()
            }.start()
        }
        for _ in 0..<2 { #expect(entered.wait(timeout: .now() + 5) == .success) }
        #expect(bulkhead.current == 2)

        let ran = Atomic<Bool>(false)
        let started = ContinuousClock.now
        #expect(throws: ModuleBusy(module: "echo")) { try bulkhead.run { ran.store(true, ordering: .relaxed) } }
        #expect(ContinuousClock.now - started < .milliseconds(50))
        let refusedCallRan = ran.load(ordering: .relaxed)
        #expect(!refusedCallRan)
        #expect(bulkhead.current == 2, "a refusal takes no slot")

        release.signal()
        release.signal()
        #expect(done.wait(timeout: .now() + 5) == .success)
        #expect(bulkhead.current == 0)
        #expect(try bulkhead.run { 42 } == 42)
    }

    @Test func errorsPropagateAndGiveTheirSlotBack() throws {
        let bulkhead = Bulkhead(module: "echo", limit: 1)
        for _ in 0..<3 {
            #expect(throws: Boom()) { try bulkhead.run { throw Boom() } }
            #expect(bulkhead.current == 0)
        }
        #expect(try bulkhead.run { "still open" } == "still open")
    }

    @Test func moduleBusyIsA503ThatWasNeverSent() throws {
        let problem = ModuleBusy(module: "payments").problem
        #expect(problem.status == 503)
        #expect(problem.code == "module_busy")
        #expect(problem.extensions["reached"] == .bool(false))
        #expect(problem.extensions["module"] == .string("payments"))
        #expect(ModuleBusy(problem: problem) == ModuleBusy(module: "payments"))
        #expect(ModuleBusy(problem: DeadlineExceeded().problem) == nil)
    }
}
