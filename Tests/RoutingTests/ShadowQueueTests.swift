import Dispatch
import Facade
import Foundation
import Platform
import Routing
import Synchronization
import Testing

/// The shadow queue and the mirror on top of it: a full queue drops (and
/// the mirror counts it) without ever making the caller wait; writes and
/// unsampled reads are never sent; a failed shadow call is an error, not a
/// diff; the shadow call carries the request's identity but neither its
/// deadline nor its idempotency key.
@Suite struct ShadowQueueTests {
    static let read = Facade.Operation<Empty, JSONValue>("shadowtest.read", readOnly: true)
    static let write = Facade.Operation<Empty, JSONValue>("shadowtest.write")

    /// Polls `condition` up to `seconds`: the workers run on their own threads.
    private func eventually(within seconds: Double = 10, _ condition: () -> Bool) -> Bool {
        let end = Date().addingTimeInterval(seconds)
        while Date() < end {
            if condition() { return true }
            usleep(2_000)
        }
        return condition()
    }

    private func context(_ tenant: String = "t1", request: String = "r-1") -> CallContext {
        CallContext(
            tenant: TenantID(tenant)!, userID: "u", role: .admin, requestID: request, idempotencyKey: "key-1",
            traceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", deadline: Date().addingTimeInterval(5))
    }

    @Test func aFullQueueRefusesAtOnceAndNeverBlocksTheCaller() throws {
        let queue = ShadowQueue(capacity: 3, workers: 1)
        defer { queue.stop() }
        let gate = DispatchSemaphore(value: 0)
        let running = Atomic<Bool>(false)
        defer { gate.signal() }
        #expect(queue.offer {
            running.store(true, ordering: .releasing)
            gate.wait()
        })
        // The one worker is now held; what follows can only wait in the queue.
        #expect(eventually { running.load(ordering: .acquiring) })
        let started = Date()
        let accepted = (0..<10).map { _ in queue.offer {} }
        let took = Date().timeIntervalSince(started)
        #expect(accepted == [true, true, true] + Array(repeating: false, count: 7))
        #expect(queue.pending == 3)
        // Ten offers against a held worker took no wait: far below any timeout.
        #expect(took < 0.5, "offers took \(took) s")
        gate.signal()
        #expect(eventually { queue.pending == 0 })
    }

    @Test func theMirrorCountsDropsWhenItsQueueIsFull() throws {
        let gate = DispatchSemaphore(value: 0)
        let calls = Atomic<Int>(0)
        let mirror = ShadowMirror(rate: 1, capacity: 2, workers: 1)
        defer {
            for _ in 0..<20 { gate.signal() }
            mirror.stop()
        }
        let send: @Sendable (Facade.Operation<Empty, JSONValue>, CallContext, Empty) throws -> JSONValue = { _, _, _ in
            calls.add(1, ordering: .relaxed)
            gate.wait()
            return .object(["a": .int(1)])
        }
        func offer() -> Bool {
            mirror.mirror(
                Self.read, module: "shadowtest", context: context(), request: Empty(), response: .object(["a": .int(1)]),
                volatile: [], send: send)
        }
        #expect(offer())
        // The one worker now holds the first call; the rest can only wait in the queue.
        #expect(eventually { calls.load(ordering: .relaxed) == 1 })
        let offered = (0..<9).map { _ in offer() }
        #expect(offered == [true, true] + Array(repeating: false, count: 7))
        let key = ShadowStats.Key(module: "shadowtest", operation: "shadowtest.read", tenant: "t1")
        #expect(mirror.stats.snapshot().counts[key]?.dropped == 7)
        for _ in 0..<3 { gate.signal() }
        #expect(eventually { mirror.stats.snapshot().counts[key]?.matches == 3 })
        #expect(mirror.stats.snapshot().counts[key]?.comparisons == 3)
    }

    @Test func writesAndUnsampledReadsAreNeverSent() throws {
        let calls = Atomic<Int>(0)
        let send: @Sendable (Facade.Operation<Empty, JSONValue>, CallContext, Empty) throws -> JSONValue = { _, _, _ in
            calls.add(1, ordering: .relaxed)
            return .null
        }
        let everything = ShadowMirror(rate: 1)
        let nothing = ShadowMirror(rate: 0)
        defer {
            everything.stop()
            nothing.stop()
        }
        everything.mirror(
            Self.write, module: "shadowtest", context: context(), request: Empty(), response: .null, volatile: [], send: send)
        for _ in 0..<20 {
            nothing.mirror(
                Self.read, module: "shadowtest", context: context(), request: Empty(), response: .null, volatile: [], send: send)
        }
        // A read through the mirror that samples everything proves the send path works, and flushes the write's turn.
        everything.mirror(
            Self.read, module: "shadowtest", context: context(), request: Empty(), response: .null, volatile: [], send: send)
        #expect(eventually { everything.stats.snapshot().totals.comparisons == 1 })
        #expect(calls.load(ordering: .relaxed) == 1)
        #expect(nothing.stats.snapshot().counts.isEmpty)
        #expect(everything.stats.snapshot().counts.keys.map(\.operation) == ["shadowtest.read"])
    }

    @Test func aSampledShareIsSent() throws {
        let mirror = ShadowMirror(rate: 0.5, capacity: 4096)
        defer { mirror.stop() }
        let sent = (0..<2000).filter { _ in
            mirror.mirror(
                Self.read, module: "shadowtest", context: context(), request: Empty(), response: .null, volatile: []
            ) { _, _, _ in .null }
        }.count
        // 2000 draws at 0.5: 1000 ± 200 is over 8 standard deviations wide.
        #expect((800...1200).contains(sent), "\(sent) of 2000 sent")
        #expect(eventually { mirror.stats.snapshot().totals.comparisons == sent })
        #expect(mirror.stats.snapshot().totals.dropped == 0)
    }

    @Test func failuresAreErrorsAndDiffsKeepBothValues() throws {
        let mirror = ShadowMirror(rate: 1)
        defer { mirror.stop() }
        let seen = Mutex<CallContext?>(nil)
        mirror.mirror(
            Self.read, module: "shadowtest", context: context("t2"), request: Empty(), response: .null, volatile: []
        ) { _, _, _ in throw ModuleUnavailable(module: "shadowtest", reason: "connection refused") }
        mirror.mirror(
            Self.read, module: "shadowtest", context: context("t1", request: "r-9"), request: Empty(),
            response: .object(["amount_cents": .int(500), "at": .int(1)]), volatile: ["at"]
        ) { operation, shadow, _ in
            seen.withLock { $0 = shadow }
            #expect(operation.name == "shadowtest.read")
            return .object(["amount_cents": .int(501), "at": .int(2)])
        }
        let t1 = ShadowStats.Key(module: "shadowtest", operation: "shadowtest.read", tenant: "t1")
        let t2 = ShadowStats.Key(module: "shadowtest", operation: "shadowtest.read", tenant: "t2")
        #expect(eventually { mirror.stats.snapshot().totals.comparisons + mirror.stats.snapshot().totals.errors == 2 })
        let snapshot = mirror.stats.snapshot()
        #expect(snapshot.counts[t2]?.errors == 1)
        #expect(snapshot.counts[t2]?.diffs == 0)
        #expect(snapshot.counts[t1]?.diffs == 1)
        #expect(snapshot.recent.count == 1)
        let diff = try #require(snapshot.recent.first)
        #expect(diff.requestID == "r-9")
        #expect(diff.differences == [.init(path: ".amount_cents", inProcess: .int(500), service: .int(501))])
        let shadow = try #require(seen.withLock { $0 })
        #expect(shadow.tenant.value == "t1")
        #expect(shadow.requestID == "r-9")
        #expect(shadow.traceparent == "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")
        #expect(shadow.idempotencyKey == nil)
        #expect(shadow.deadline == nil)
    }

    @Test func theStatsKeepTheLastHundredDiffs() {
        let stats = ShadowStats()
        let key = ShadowStats.Key(module: "m", operation: "m.read", tenant: "t")
        for index in 0..<130 {
            stats.recordDiff(key, requestID: "r-\(index)", differences: [], total: 1)
        }
        let snapshot = stats.snapshot()
        #expect(snapshot.recent.map(\.requestID) == (30..<130).map { "r-\($0)" })
        #expect(snapshot.counts[key]?.diffs == 130)
    }

    @Test(arguments: [(nil, 1.0), ("0", 0.0), ("0.25", 0.25), (" 1.0 ", 1.0)] as [(String?, Double)])
    func theRateSettingIsRead(text: String?, rate: Double) throws {
        #expect(try ShadowMirror.rate(setting: text) == rate)
    }

    @Test(arguments: ["", "1.5", "-0.1", "half", "nan", "inf"])
    func aBadRateSettingIsRefused(text: String) {
        #expect(throws: ShadowMirror.InvalidRate.self) { try ShadowMirror.rate(setting: text) }
    }
}
