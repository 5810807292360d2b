import BanyanTestSupport
import Events
import Foundation
import Platform
import Postgres
import Testing

/// The background thread: delivers on its own, stops cleanly, survives outages.
@Suite final class DispatcherThreadTests {
    /// A fresh database per test: Swift Testing makes a suite instance per test.
    let database: Database
    let pool: PostgresPool

    init() throws {
        database = try openEventDatabase()
        pool = database.pool(for: EventTestSchema.name)
    }
    deinit { database.shutdown() }

    @Test func backgroundThreadDeliversWithoutBeingAsked() throws {
        let dispatcher = EventDispatcher(log: .discard, pollInterval: 0.02)
        dispatcher.addSource(module: EventTestSchema.name, pool: pool)
        let seen = Deliveries<NotePosted>()
        dispatcher.subscribe(NotePosted.self, name: "recorder") { event, metadata in seen.record(event, metadata) }

        dispatcher.start()
        dispatcher.start()  // already running: no second thread
        try postNote("by itself", on: pool)
        #expect(eventually { seen.count == 1 })
        dispatcher.stop()
        dispatcher.stop()  // idempotent

        // Started again after a stop, it delivers again.
        dispatcher.start()
        try postNote("after restart", on: pool)
        #expect(eventually { seen.count == 2 })
        dispatcher.stop()
        #expect(seen.all.map(\.event.text) == ["by itself", "after restart"])
        #expect(try outboxRows(tenantA, on: pool).map(\.status) == ["delivered", "delivered"])
    }

    @Test func stopFromInsideAHandlerDoesNotHang() throws {
        let dispatcher = EventDispatcher(log: .discard, pollInterval: 0.02)
        dispatcher.addSource(module: EventTestSchema.name, pool: pool)
        let seen = Deliveries<NotePosted>()
        dispatcher.subscribe(NotePosted.self, name: "stopper") { [weak dispatcher] event, metadata in
            dispatcher?.stop()
            seen.record(event, metadata)
        }
        dispatcher.start()
        try postNote("stop", on: pool)
        #expect(eventually { seen.count == 1 })
        dispatcher.stop()
        #expect(try eventually { try outboxRows(tenantA, on: pool).map(\.status) == ["delivered"] })
    }

    @Test func unreachableSourceNeitherStopsTheThreadNorTheOtherSources() throws {
        // Nothing listens on port 1: every connection attempt fails at once.
        let deadPool = PostgresPool(conninfo: "host=127.0.0.1 port=1 dbname=banyan connect_timeout=2", size: 1)
        let closedPool = PostgresPool(conninfo: "host=127.0.0.1 port=1 dbname=banyan", size: 1)
        closedPool.close()
        let dispatcher = EventDispatcher(log: .discard, pollInterval: 0.02)
        dispatcher.addSource(module: "ghost", pool: deadPool)
        dispatcher.addSource(module: "closed", pool: closedPool)
        dispatcher.addSource(module: EventTestSchema.name, pool: pool)
        let seen = Deliveries<NotePosted>()
        dispatcher.subscribe(NotePosted.self, name: "recorder") { event, metadata in seen.record(event, metadata) }

        // A synchronous pass still serves the healthy source, then reports the failure.
        try postNote("one", on: pool)
        let error = #expect(throws: PostgresError.self) { try dispatcher.deliverPending() }
        #expect(error?.isConnectionFailure == true)
        #expect(seen.count == 1)

        dispatcher.start()
        defer { dispatcher.stop() }
        try postNote("two", on: pool)
        #expect(eventually { seen.count == 2 })
        try postNote("three", on: pool)
        #expect(eventually { seen.count == 3 })
        #expect(throws: PostgresError.self) { try dispatcher.events(includePending: true, limit: 10) }
        #expect(try dispatcher.retry(module: "evtest", id: 1) == false)
    }
}
