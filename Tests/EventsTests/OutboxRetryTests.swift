import BanyanTestSupport
import Events
import Foundation
import Platform
import Postgres
import Synchronization
import Testing

/// Failing subscribers: backoff, redelivery, parking, and the operator's retry.
@Suite final class OutboxRetryTests {
    /// A fresh database per test: Swift Testing makes a suite instance per test.
    let database: Database
    let pool: PostgresPool

    init() throws {
        database = try openEventDatabase()
        pool = database.pool(for: EventTestSchema.name)
    }
    deinit { database.shutdown() }

    @Test func subscriberFailingTwiceGetsTheEventOnTheThirdAttempt() throws {
        let dispatcher = EventDispatcher(log: .discard, maxAttempts: 8, baseBackoff: 0.01, maxBackoff: 0.05)
        dispatcher.addSource(module: EventTestSchema.name, pool: pool)
        let calls = Atomic<Int>(0)
        let seen = Deliveries<NotePosted>()
        dispatcher.subscribe(NotePosted.self, name: "flaky") { event, metadata in
            let call = calls.add(1, ordering: .relaxed).newValue
            if call <= 2 { throw SubscriberFailure(description: "not yet (\(call))") }
            seen.record(event, metadata)
        }

        try postNote("third time lucky", on: pool)
        #expect(try dispatcher.deliverPending() == 0)  // failed once: not settled
        let afterFirst = try #require(try outboxRows(tenantA, on: pool).first)
        #expect(afterFirst.status == "pending")
        #expect(afterFirst.attempts == 1)
        #expect(afterFirst.lastError == "flaky: not yet (1)")

        #expect(try eventually { try dispatcher.deliverPending() > 0 || seen.count > 0 })
        #expect(calls.load(ordering: .relaxed) == 3)
        #expect(seen.all.map(\.metadata.attempt) == [3])
        let row = try #require(try outboxRows(tenantA, on: pool).first)
        #expect(row.status == "delivered")
        #expect(row.attempts == 3)
    }

    @Test func failureIsNotRetriedBeforeItsBackoff() throws {
        let dispatcher = EventDispatcher(log: .discard, baseBackoff: 60, maxBackoff: 60)
        dispatcher.addSource(module: EventTestSchema.name, pool: pool)
        let calls = Atomic<Int>(0)
        dispatcher.subscribe(NotePosted.self, name: "down") { _, _ in
            calls.add(1, ordering: .relaxed)
            throw SubscriberFailure(description: "down")
        }

        try postNote("later", on: pool)
        #expect(try dispatcher.deliverPending() == 0)
        #expect(try dispatcher.deliverPending() == 0)
        #expect(calls.load(ordering: .relaxed) == 1)
        let due = try pool.transaction(tenant: tenantA.value) { db in
            try db.query("SELECT next_attempt_at > now() + interval '20 seconds' AS later FROM evtest.outbox")
                .first?.bool("later")
        }
        #expect(due == true)  // at least half of the 60 s backoff (jitter)
    }

    @Test func alwaysFailingSubscriberIsParkedListedAndRetried() throws {
        let dispatcher = EventDispatcher(log: .discard, maxAttempts: 3, baseBackoff: 0.01, maxBackoff: 0.02)
        dispatcher.addSource(module: EventTestSchema.name, pool: pool)
        let healthy = Atomic<Bool>(false)
        let calls = Atomic<Int>(0)
        dispatcher.subscribe(NotePosted.self, name: "kitchen") { _, _ in
            calls.add(1, ordering: .relaxed)
            guard healthy.load(ordering: .relaxed) else {
                throw SubscriberFailure(description: "printer on fire " + String(repeating: "!", count: 2000))
            }
        }

        try postNote("doomed", on: pool)
        #expect(try eventually { try dispatcher.deliverPending() > 0 })
        #expect(calls.load(ordering: .relaxed) == 3)

        let parked = try dispatcher.events(includePending: false, limit: 100)
        let entry = try #require(parked.first)
        #expect(parked.count == 1)
        #expect(entry.status == "parked")
        #expect(entry.module == "evtest")
        #expect(entry.type == "NotePosted")
        #expect(entry.tenant == tenantA.value)
        #expect(entry.attempts == 3)
        #expect(entry.payload == .object(["text": .string("doomed"), "posted_at": .string("2023-11-14T22:13:20Z")]))
        let lastError = try #require(entry.lastError)
        #expect(lastError.hasPrefix("kitchen: printer on fire !"))
        #expect(lastError.count == 500)

        // Parked means left alone.
        #expect(try dispatcher.deliverPending() == 0)
        #expect(calls.load(ordering: .relaxed) == 3)

        #expect(try dispatcher.retry(module: "evtest", id: entry.id + 1000) == false)
        #expect(try dispatcher.retry(module: "nosuchmodule", id: entry.id) == false)
        #expect(try dispatcher.retry(module: "evtest", id: entry.id) == true)
        #expect(try dispatcher.retry(module: "evtest", id: entry.id) == false)  // pending now, not parked
        #expect(try dispatcher.events(includePending: false, limit: 100).isEmpty)
        let pending = try dispatcher.events(includePending: true, limit: 100)
        #expect(pending.map(\.status) == ["pending"])
        #expect(pending.first?.attempts == 0)

        healthy.store(true, ordering: .relaxed)
        #expect(try dispatcher.deliverPending() == 1)
        #expect(calls.load(ordering: .relaxed) == 4)
        #expect(try dispatcher.events(includePending: true, limit: 100).isEmpty)
        #expect(try outboxRows(tenantA, on: pool).map(\.status) == ["delivered"])
    }

    @Test func undecodablePayloadIsParkedAtOnce() throws {
        let dispatcher = EventDispatcher(log: .discard, maxAttempts: 8)
        dispatcher.addSource(module: EventTestSchema.name, pool: pool)
        let seen = Deliveries<NotePosted>()
        dispatcher.subscribe(NotePosted.self, name: "recorder") { event, metadata in seen.record(event, metadata) }

        try pool.transaction(tenant: tenantA.value) { db in
            try db.execute(
                """
                INSERT INTO evtest.outbox (tenant_id, event_type, payload)
                VALUES (\(tenantA.value), 'NotePosted', '{"unexpected": true}')
                """)
        }
        try postNote("fine", on: pool)
        #expect(try dispatcher.deliverPending() == 2)
        #expect(seen.all.map(\.event.text) == ["fine"])
        let parked = try dispatcher.events(includePending: false, limit: 10)
        #expect(parked.count == 1)
        #expect(parked.first?.attempts == 1)
        #expect(parked.first?.lastError?.contains("does not decode as NotePosted") == true)
    }

    @Test func eventsAreListedNewestFirstAcrossTenantsWithinTheLimit() throws {
        let dispatcher = EventDispatcher(log: .discard, maxAttempts: 1)
        dispatcher.addSource(module: EventTestSchema.name, pool: pool)
        dispatcher.subscribe(NotePosted.self, name: "broken") { _, _ in throw SubscriberFailure(description: "no") }

        for (index, tenant) in [tenantA, tenantB, tenantA].enumerated() {
            try postNote("note \(index)", tenant: tenant, on: pool)
        }
        #expect(try dispatcher.deliverPending() == 3)
        let all = try dispatcher.events(includePending: false, limit: 10)
        #expect(all.map(\.payload).map { payload -> String? in
            if case .object(let members) = payload, case .string(let text)? = members["text"] { return text }
            return nil
        } == ["note 2", "note 1", "note 0"])
        #expect(all.map(\.tenant) == [tenantA.value, tenantB.value, tenantA.value])
        #expect(try dispatcher.events(includePending: false, limit: 2).map(\.id) == Array(all.map(\.id).prefix(2)))
        #expect(try dispatcher.events(includePending: false, limit: 0).isEmpty)
    }
}
