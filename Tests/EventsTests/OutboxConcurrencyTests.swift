import BanyanTestSupport
import Events
import Foundation
import Platform
import Postgres
import Synchronization
import Testing

/// Several dispatchers on one outbox, as with several gateway processes.
@Suite final class OutboxConcurrencyTests {
    /// A fresh database per test: Swift Testing makes a suite instance per test.
    let database: Database
    let pool: PostgresPool

    init() throws {
        database = try openEventDatabase(poolSize: 8)
        pool = database.pool(for: EventTestSchema.name)
    }
    deinit { database.shutdown() }

    @Test func twoDispatchersDeliverEachEventExactlyOnce() throws {
        let total = 400
        try pool.transaction(tenant: tenantA.value) { db in
            for index in 0..<total / 2 {
                try Outbox.append(
                    NotePosted(text: "a\(index)", postedAt: Date()), tenant: tenantA.value, schema: "evtest", on: db)
            }
        }
        try pool.transaction(tenant: tenantB.value) { db in
            for index in 0..<total / 2 {
                try Outbox.append(
                    NotePosted(text: "b\(index)", postedAt: Date()), tenant: tenantB.value, schema: "evtest", on: db)
            }
        }

        let deliveries = Mutex<[Int64: Int]>([:])
        let settledBy = Mutex<[Int]>([0, 0])
        let dispatchers = (0..<2).map { _ in EventDispatcher(log: .discard) }
        for dispatcher in dispatchers {
            dispatcher.addSource(module: EventTestSchema.name, pool: pool)
            dispatcher.subscribe(NotePosted.self, name: "counter") { _, metadata in
                deliveries.withLock { $0[metadata.id, default: 0] += 1 }
            }
        }
        // Two threads per dispatcher, all polling at once until everything is in.
        let failures = runConcurrently(4) { index in
            let deadline = Date(timeIntervalSinceNow: 30)
            while deliveries.withLock({ $0.count }) < total, Date() < deadline {
                let settled = try dispatchers[index % 2].deliverPending()
                settledBy.withLock { $0[index % 2] += settled }
            }
        }
        #expect(failures.isEmpty, "\(failures)")

        let counts = deliveries.withLock { $0 }
        #expect(counts.count == total)
        #expect(counts.values.allSatisfy { $0 == 1 }, "delivered twice: \(counts.filter { $0.value > 1 }.keys.sorted())")
        #expect(settledBy.withLock { $0.reduce(0, +) } == total)
        for dispatcher in dispatchers { #expect(try dispatcher.deliverPending() == 0) }
        #expect(try outboxRows(tenantA, on: pool).allSatisfy { $0.status == "delivered" && $0.attempts == 1 })
        #expect(try outboxRows(tenantB, on: pool).allSatisfy { $0.status == "delivered" && $0.attempts == 1 })
    }

    @Test func writersAndTheBackgroundThreadTogetherLoseNothing() throws {
        let dispatcher = EventDispatcher(log: .discard, pollInterval: 0.01)
        dispatcher.addSource(module: EventTestSchema.name, pool: pool)
        let deliveries = Mutex<[String: Int]>([:])
        dispatcher.subscribe(NotePosted.self, name: "counter") { event, _ in
            deliveries.withLock { $0[event.text, default: 0] += 1 }
        }
        dispatcher.start()
        defer { dispatcher.stop() }

        let writers = 4
        let perWriter = 50
        let failures = runConcurrently(writers) { [pool] writer in
            for index in 0..<perWriter {
                try postNote("w\(writer)-\(index)", tenant: writer % 2 == 0 ? tenantA : tenantB, on: pool)
            }
        }
        #expect(failures.isEmpty, "\(failures)")
        #expect(eventually { deliveries.withLock { $0.count } == writers * perWriter })
        #expect(deliveries.withLock { $0.values.allSatisfy { $0 == 1 } })
    }
}
