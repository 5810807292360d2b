import BanyanTestSupport
import Foundation
import Postgres
import Testing

/// A pool's `DatabaseCounters` move by exactly what a known piece of work
/// sent: the statements, the round trips (one per pipeline or script) and
/// the transaction's outcome. `./scripts/bench orders` divides these by
/// checkouts, so an off-by-one here is a wrong figure there.
///
/// Each test has a database and a pool of its own, so nothing else moves
/// its counters while it runs.
@Suite final class DatabaseCountersTests {
    static let ledger = ModuleSchema(
        name: "ledger",
        migrations: [
            Migration(
                version: 1, name: "a counter and deferred-unique tags",
                sql: """
                    CREATE TABLE counters (id int PRIMARY KEY, value int NOT NULL);
                    INSERT INTO counters VALUES (1, 0);
                    CREATE TABLE tags (
                        name text NOT NULL,
                        CONSTRAINT tags_name_unique UNIQUE (name) DEFERRABLE INITIALLY DEFERRED
                    );
                    """)
        ])

    struct Refused: Error {}

    let database: Database
    let pool: PostgresPool

    init() throws {
        database = try TestDatabase.open(modules: [Self.ledger], prefix: "counters", poolSize: 1)
        pool = database.pool(for: "ledger")
        // Open the pool's one connection now, so the tests measure their work alone.
        try pool.withConnection { try $0.query("SELECT 1 AS one") }
    }
    deinit { database.shutdown() }

    /// What `pool`'s counters moved by while `body` ran.
    func counted(_ body: () throws -> Void) rethrows -> DatabaseCounters.Snapshot {
        let before = pool.counters.snapshot
        try body()
        return pool.counters.snapshot - before
    }

    @Test func aCommittedTransactionIsTwoRoundTrips() throws {
        let moved = try counted {
            try pool.transaction(tenant: "demo-cafe") { db in
                // BEGIN, the tenant setting and this SELECT: one pipeline.
                _ = try db.query("SELECT value FROM counters WHERE id = 1")
                // Travels with COMMIT: the second pipeline.
                try db.executeAtCommit("UPDATE counters SET value = value + 1 WHERE id = 1")
            }
        }
        #expect(moved == DatabaseCounters.Snapshot(statements: 5, roundTrips: 2, commits: 1, rollbacks: 0))
        let value = try pool.withConnection { try $0.query("SELECT value FROM counters WHERE id = 1").first?.int("value") }
        #expect(value == 1)
    }

    @Test func aTransactionEndingInQueryAndCommitIsTwoRoundTrips() throws {
        let moved = try counted {
            try pool.transaction(tenant: "demo-cafe") { db in
                _ = try db.query("SELECT value FROM counters WHERE id = 1")
                // With COMMIT; the pool's commit then sends nothing.
                _ = try db.queryAndCommit("UPDATE counters SET value = value + 1 WHERE id = 1 RETURNING value")
            }
        }
        #expect(moved == DatabaseCounters.Snapshot(statements: 5, roundTrips: 2, commits: 1, rollbacks: 0))
        let value = try pool.withConnection { try $0.query("SELECT value FROM counters WHERE id = 1").first?.int("value") }
        #expect(value == 1)
    }

    @Test func aStatementOutsideATransactionIsOneRoundTripAndNoTransaction() throws {
        let moved = try counted { try pool.withConnection { _ = try $0.query("SELECT value FROM counters") } }
        #expect(moved == DatabaseCounters.Snapshot(statements: 1, roundTrips: 1, commits: 0, rollbacks: 0))
    }

    @Test func aBodyThatThrowsAfterAStatementIsRolledBack() throws {
        let moved = counted {
            #expect(throws: Refused.self) {
                try pool.transaction(tenant: nil) { db in
                    try db.execute("UPDATE counters SET value = 42 WHERE id = 1")
                    throw Refused()
                }
            }
        }
        // BEGIN and the UPDATE in one round trip, then the pool's ROLLBACK in another.
        #expect(moved == DatabaseCounters.Snapshot(statements: 3, roundTrips: 2, commits: 0, rollbacks: 1))
        let value = try pool.withConnection { try $0.query("SELECT value FROM counters WHERE id = 1").first?.int("value") }
        #expect(value == 0)
    }

    @Test func aCommitTheServerRefusesIsRolledBack() throws {
        let moved = counted {
            let error = #expect(throws: PostgresError.self) {
                try pool.transaction(tenant: nil) { db in
                    try db.execute("INSERT INTO tags (name) VALUES (\("twice")), (\("twice"))")
                }
            }
            #expect(error?.isUniqueViolation == true)
        }
        // BEGIN and the INSERT, then COMMIT, refused at the deferred check: the server rolled back, no ROLLBACK is sent.
        #expect(moved == DatabaseCounters.Snapshot(statements: 3, roundTrips: 2, commits: 0, rollbacks: 1))
    }

    @Test func aBodyThatSendsNothingCountsNothing() throws {
        let quiet = counted { _ = try? pool.transaction(tenant: "demo-cafe") { _ in 7 } }
        #expect(quiet == DatabaseCounters.Snapshot(statements: 0, roundTrips: 0, commits: 0, rollbacks: 0))
        let refused = counted {
            #expect(throws: Refused.self) { try pool.transaction(tenant: nil) { _ in throw Refused() } }
        }
        #expect(refused == DatabaseCounters.Snapshot(statements: 0, roundTrips: 0, commits: 0, rollbacks: 0))
    }

    @Test func aScriptIsOneStatementAndOneRoundTrip() throws {
        let moved = try counted {
            try pool.withConnection { try $0.executeScript("SET search_path = ledger; SET search_path = DEFAULT") }
        }
        #expect(moved == DatabaseCounters.Snapshot(statements: 1, roundTrips: 1, commits: 0, rollbacks: 0))
    }
}
