import BanyanTestSupport
import Events
import Foundation
import Platform
import Postgres
import Testing

/// Delivery follows the writer's commit, once, in order.
@Suite final class OutboxDeliveryTests {
    /// A fresh database per test (Swift Testing makes a suite instance per
    /// test), a dispatcher draining its outbox, and a subscriber recording
    /// every `NotePosted`.
    let database: Database
    let pool: PostgresPool
    let dispatcher = EventDispatcher(log: .discard)
    let seen = Deliveries<NotePosted>()

    init() throws {
        database = try openEventDatabase()
        pool = database.pool(for: EventTestSchema.name)
        dispatcher.addSource(module: EventTestSchema.name, pool: pool)
        // Captures `seen`, not `self`: a cycle through the dispatcher would keep `deinit` from running.
        dispatcher.subscribe(NotePosted.self, name: "recorder") { [seen] event, metadata in seen.record(event, metadata) }
    }
    deinit { database.shutdown() }

    @Test func committedEventIsDeliveredOnceWithItsMetadata() throws {
        try postNote("hello", on: pool)
        #expect(try dispatcher.deliverPending() == 1)
        #expect(try dispatcher.deliverPending() == 0)

        let delivered = try #require(seen.all.first)
        #expect(seen.count == 1)
        #expect(delivered.event == NotePosted(text: "hello", postedAt: Date(timeIntervalSince1970: 1_700_000_000)))
        #expect(delivered.metadata.module == "evtest")
        #expect(delivered.metadata.type == "NotePosted")
        #expect(delivered.metadata.tenant == tenantA)
        #expect(delivered.metadata.attempt == 1)
        #expect(abs(delivered.metadata.occurredAt.timeIntervalSinceNow) < 60)

        let rows = try outboxRows(tenantA, on: pool)
        #expect(rows.map(\.status) == ["delivered"])
        #expect(rows.first?.id == delivered.metadata.id)
        #expect(rows.first?.attempts == 1)
    }

    @Test func rolledBackEventIsNeverDelivered() throws {
        #expect(throws: SubscriberFailure.self) {
            try pool.transaction(tenant: tenantA.value) { db in
                try Outbox.append(
                    NotePosted(text: "never", postedAt: Date()), tenant: tenantA.value, schema: "evtest", on: db)
                throw SubscriberFailure(description: "the change failed after its event was written")
            }
        }
        #expect(try dispatcher.deliverPending() == 0)
        #expect(seen.count == 0)
        #expect(try outboxRows(tenantA, on: pool).isEmpty)
    }

    @Test func eventIsInvisibleUntilItsTransactionCommits() throws {
        let settledWhileOpen = try pool.transaction(tenant: tenantA.value) { db in
            try Outbox.append(
                NotePosted(text: "pending commit", postedAt: Date()), tenant: tenantA.value, schema: "evtest", on: db)
            // The dispatcher works on another connection of the pool.
            return try dispatcher.deliverPending()
        }
        #expect(settledWhileOpen == 0)
        #expect(seen.count == 0)
        #expect(try dispatcher.deliverPending() == 1)
        #expect(seen.all.map(\.event.text) == ["pending commit"])
    }

    @Test func typeWithoutSubscribersIsSimplyDelivered() throws {
        try pool.transaction(tenant: tenantA.value) { db in
            try Outbox.append(NoteArchived(text: "old"), tenant: tenantA.value, schema: "evtest", on: db)
        }
        #expect(try dispatcher.deliverPending() == 1)
        #expect(seen.count == 0)
        #expect(try outboxRows(tenantA, on: pool).map(\.status) == ["delivered"])
    }

    @Test func backlogIsTakenInBatchesOfAHundredInIdOrder() throws {
        try pool.transaction(tenant: tenantA.value) { db in
            for index in 0..<250 {
                try Outbox.append(
                    NotePosted(text: "n\(index)", postedAt: Date()), tenant: tenantA.value, schema: "evtest", on: db)
            }
        }
        #expect(try dispatcher.deliverPending() == 100)
        #expect(try dispatcher.deliverPending() == 100)
        #expect(try dispatcher.deliverPending() == 50)
        #expect(try dispatcher.deliverPending() == 0)
        let ids = seen.all.map(\.metadata.id)
        #expect(ids == ids.sorted())
        #expect(seen.all.map(\.event.text) == (0..<250).map { "n\($0)" })
    }

    @Test func appendWithAnotherTenantThanTheTransactionsIsRefused() throws {
        let error = #expect(throws: PostgresError.self) {
            try pool.transaction(tenant: tenantA.value) { db in
                try Outbox.append(NoteArchived(text: "forged"), tenant: tenantB.value, schema: "evtest", on: db)
            }
        }
        #expect(error?.isPermissionDenied == true)
        #expect(try outboxRows(tenantB, on: pool).isEmpty)
    }

    /// The INSERT travels with the COMMIT: a body that throws after appending never writes the event.
    @Test func eventOfABodyThatThrowsIsNeverWritten() throws {
        try withEventPool(size: 1) { pool in
            struct Refused: Error {}
            #expect(throws: Refused.self) {
                try pool.transaction(tenant: tenantA.value) { db in
                    try Outbox.append(NoteArchived(text: "never"), tenant: tenantA.value, schema: "evtest", on: db)
                    throw Refused()
                }
            }
            try postNote("kept", on: pool)
            #expect(try outboxRows(tenantA, on: pool).count == 1)
            let notes = try pool.transaction(tenant: tenantA.value) { db in
                try db.query("SELECT count(*) AS n FROM evtest.notes").first?.int("n")
            }
            #expect(notes == 1)
        }
    }

    /// Outside a pool transaction (the caller's own BEGIN) the row is written at once.
    @Test func appendOutsideAPoolTransactionWritesAtOnce() throws {
        try withEventPool(size: 1) { pool in
            try pool.withConnection { db in
                try db.execute("BEGIN")
                try db.execute("SELECT set_config('app.tenant', \(tenantA.value), true)")
                try Outbox.append(NoteArchived(text: "now"), tenant: tenantA.value, schema: "evtest", on: db)
                #expect(try db.query("SELECT count(*) AS n FROM evtest.outbox").first?.int("n") == 1)
                try db.execute("COMMIT")
            }
            #expect(try outboxRows(tenantA, on: pool).count == 1)
        }
    }

    @Test func outboxEntryUsesSnakeCaseKeys() throws {
        let entry = OutboxEntry(
            id: 7, module: "orders", type: "OrderPlaced", tenant: "t-alpha", payload: .object(["n": .int(1)]),
            status: "parked", attempts: 8, lastError: "kitchen: down", createdAt: Date(timeIntervalSince1970: 0),
            nextAttemptAt: Date(timeIntervalSince1970: 60))
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        let object = try #require(
            try JSONSerialization.jsonObject(with: encoder.encode(entry)) as? [String: Any])
        #expect(
            Set(object.keys)
                == [
                    "id", "module", "event_type", "tenant_id", "payload", "status", "attempts", "last_error",
                    "created_at", "next_attempt_at",
                ])
        #expect(object["event_type"] as? String == "OrderPlaced")
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        #expect(try decoder.decode(OutboxEntry.self, from: encoder.encode(entry)) == entry)
    }
}
