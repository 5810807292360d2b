import BanyanTestSupport
import Foundation
import Postgres
import Synchronization
import Testing

/// `executeAtCommit` holds a statement back until the pool commits, and sends
/// it with `COMMIT` in one round trip. Seen from the caller, it must behave as
/// if it had run last in the body: committed with it, or failing it.
///
/// One connection per pool, so "the same connection" is the only one there is.
@Suite final class StatementsAtCommitTests {
    /// `tenant_id` defaults to the transaction's tenant and the table is under
    /// row-level security: a row lands only if the tenant setting was applied.
    static let journal = ModuleSchema(
        name: "journal",
        migrations: [
            Migration(
                version: 1, name: "entries and a counter",
                sql: """
                    CREATE TABLE entries (
                        seq       serial PRIMARY KEY,
                        tenant_id text NOT NULL DEFAULT current_setting('app.tenant', true),
                        note      text NOT NULL UNIQUE
                    );
                    \(RowLevelSecurity.tenantIsolationSQL(table: "entries"))
                    CREATE TABLE counters (id int PRIMARY KEY, value int NOT NULL);
                    INSERT INTO counters VALUES (1, 0);
                    """)
        ])

    struct Refused: Error {}

    /// A fresh database per test: Swift Testing makes a suite instance per test.
    let database: Database
    let pool: PostgresPool

    init() throws {
        database = try TestDatabase.open(modules: [Self.journal], prefix: "atcommit", poolSize: 1)
        pool = database.pool(for: "journal")
    }
    deinit { database.shutdown() }

    /// The notes `tenant` sees, in insertion (serial) order.
    static func notes(_ tenant: String, on pool: PostgresPool) throws -> [String] {
        try pool.transaction(tenant: tenant) { db in
            try db.query("SELECT note FROM entries ORDER BY seq").map { try $0.string("note") }
        }
    }

    static func counter(on pool: PostgresPool) throws -> Int? {
        try pool.withConnection { try $0.query("SELECT value FROM counters WHERE id = 1").first?.int("value") }
    }

    @Test func queuedStatementsRunInOrderAtCommit() throws {
        let seenInBody = try pool.transaction(tenant: "demo-cafe") { db -> Int? in
            try db.execute("UPDATE counters SET value = 3 WHERE id = 1")
            try db.executeAtCommit("INSERT INTO entries (note) VALUES (\("first"))")
            try db.executeAtCommit("INSERT INTO entries (note) VALUES (\("second"))")
            // Not sent yet: the body's own statements run before the queue.
            return try db.query("SELECT count(*) AS n FROM entries").first?.int("n")
        }
        #expect(seenInBody == 0)
        #expect(try Self.notes("demo-cafe", on: pool) == ["first", "second"])
        #expect(try Self.counter(on: pool) == 3)
    }

    /// The failing statement is queued (`executeAtCommit`) or the body's
    /// last (`queryAndCommit`): either way everything is rolled back.
    @Test(arguments: [false, true])
    func failingLastStatementRollsBackTheWholeTransaction(queryAndCommit: Bool) throws {
        try pool.transaction(tenant: "demo-cafe") { try $0.execute("INSERT INTO entries (note) VALUES (\("taken"))") }
        let pid = try pool.withConnection { $0.backendPID }

        let attempts = Mutex(0)
        let duplicate = #expect(throws: PostgresError.self) {
            try pool.transaction(tenant: "demo-cafe") { db in
                attempts.withLock { $0 += 1 }
                try db.execute("UPDATE counters SET value = 9 WHERE id = 1")
                try db.executeAtCommit("INSERT INTO entries (note) VALUES (\("fresh"))")
                let taken: PostgresQuery = "INSERT INTO entries (note) VALUES (\("taken")) RETURNING seq"
                if queryAndCommit { _ = try db.queryAndCommit(taken) } else { try db.executeAtCommit(taken) }
            }
        }
        #expect(duplicate?.kind == .server)
        #expect(duplicate?.sqlState == "23505")
        #expect(duplicate?.constraint == "entries_note_key")
        #expect(attempts.withLock { $0 } == 1)
        #expect(try Self.counter(on: pool) == 0)
        #expect(try Self.notes("demo-cafe", on: pool) == ["taken"])
        // The same connection goes on serving, out of the failed transaction.
        #expect(try pool.withConnection { $0.backendPID } == pid)
        try pool.transaction(tenant: "demo-cafe") { try $0.execute("INSERT INTO entries (note) VALUES (\("after"))") }
        #expect(try Self.notes("demo-cafe", on: pool) == ["taken", "after"])
    }

    @Test func queuedStatementsOfABodyThatThrowsAreNeverSent() throws {
        #expect(throws: Refused.self) {
            try pool.transaction(tenant: "demo-cafe") { db in
                try db.execute("UPDATE counters SET value = 5 WHERE id = 1")
                try db.executeAtCommit("INSERT INTO entries (note) VALUES (\("dropped"))")
                throw Refused()
            }
        }
        #expect(throws: Refused.self) {
            try pool.transaction(tenant: "demo-cafe") { db in
                try db.executeAtCommit("INSERT INTO entries (note) VALUES (\("dropped too"))")
                throw Refused()
            }
        }
        // The next transaction on the same connection commits only its own work.
        try pool.transaction(tenant: "demo-cafe") { db in
            try db.executeAtCommit("INSERT INTO entries (note) VALUES (\("kept"))")
        }
        #expect(try Self.notes("demo-cafe", on: pool) == ["kept"])
        #expect(try Self.counter(on: pool) == 0)
    }

    /// No statement of the body sent the held-back `BEGIN` and tenant
    /// setting: they go first in the commit's round trip.
    @Test(arguments: [IsolationLevel.readCommitted, .serializable])
    func bodyWithOnlyQueuedStatementsOpensTheTransaction(isolation: IsolationLevel) throws {
        let value = try pool.transaction(tenant: "demo-cafe", isolation: isolation) { db in
            try db.executeAtCommit("INSERT INTO entries (note) VALUES (\("only"))")
            try db.executeAtCommit("INSERT INTO entries (note) VALUES (\("queued"))")
            return 7
        }
        #expect(value == 7)
        #expect(try Self.notes("demo-cafe", on: pool) == ["only", "queued"])
        #expect(try Self.notes("other-cafe", on: pool).isEmpty)

        // The row-level security check sees the tenant too: another tenant's row is refused.
        let refused = #expect(throws: PostgresError.self) {
            try pool.transaction(tenant: "demo-cafe", isolation: isolation) { db in
                try db.executeAtCommit("INSERT INTO entries (tenant_id, note) VALUES (\("other-cafe"), \("forged"))")
            }
        }
        #expect(refused?.isPermissionDenied == true)
        let idle = try pool.withConnection { db in
            try db.query("SELECT current_setting('app.tenant', true) AS t, (SELECT count(*) FROM entries) AS n").first
        }
        #expect(try idle?.optionalString("t") ?? "" == "")  // the setting ended with its transaction
        #expect(try idle?.int("n") == 0)  // no tenant, no rows
    }

    /// Both read the counter, then both queue their increment: the later
    /// commit fails with 40001 and the pool runs that body again.
    @Test func serializationFailureInAQueuedStatementIsRetried() throws {
        // Two transactions at once: a connection each.
        try withPool(of: Self.journal, size: 4, prefix: "atcommitretry") { pool throws in
            let bothRead = Barrier(parties: 2)
            let attempts = Mutex<[Int]>([0, 0])
            let failures = runConcurrently(2) { index in
                try pool.transaction(tenant: nil, isolation: .serializable) { db in
                    let attempt = attempts.withLock { counts -> Int in
                        counts[index] += 1
                        return counts[index]
                    }
                    let value = try db.query("SELECT value FROM counters WHERE id = 1").first!.int("value")
                    if attempt == 1 { bothRead.arriveAndWait(timeout: 10) }
                    try db.executeAtCommit("UPDATE counters SET value = \(value + 1) WHERE id = 1")
                }
            }
            #expect(failures.isEmpty, "\(failures)")
            #expect(try Self.counter(on: pool) == 2)
            let counts = attempts.withLock { $0 }
            #expect(counts.max() ?? 0 >= 2, "no transaction was retried: \(counts)")
        }
    }

    /// `queryAndCommit` is the body's last statement: it goes after the
    /// queue, with `COMMIT`, and its rows come back; nothing may follow it.
    @Test func queryAndCommitAnswersAfterTheQueueAndCommits() throws {
        let (seq, refused) = try pool.transaction(tenant: "demo-cafe") { db -> (Int?, PostgresError?) in
            try db.execute("UPDATE counters SET value = 6 WHERE id = 1")
            try db.executeAtCommit("INSERT INTO entries (note) VALUES (\("queued"))")
            let rows = try db.queryAndCommit("INSERT INTO entries (note) VALUES (\("last")) RETURNING seq")
            let refused = #expect(throws: PostgresError.self) { try db.query("SELECT 1 AS one") }
            return (try rows.first?.int("seq"), refused)
        }
        #expect(seq == 2)
        #expect(refused?.kind == .invalidQuery)
        #expect(try Self.notes("demo-cafe", on: pool) == ["queued", "last"])
        #expect(try Self.counter(on: pool) == 6)
    }

    /// Outside a pool transaction nobody would send the queue: it runs at once.
    @Test func outsideAPoolTransactionItRunsAtOnce() throws {
        let changed = try pool.withConnection { db -> Int? in
            try db.executeAtCommit("UPDATE counters SET value = 4 WHERE id = 1")
            return try db.query("SELECT value FROM counters WHERE id = 1").first?.int("value")
        }
        #expect(changed == 4)
        // Also inside a transaction the caller opened itself.
        let rolledBack = try pool.withConnection { db -> Int? in
            try db.execute("BEGIN")
            try db.executeAtCommit("UPDATE counters SET value = 8 WHERE id = 1")
            let seen = try db.query("SELECT value FROM counters WHERE id = 1").first?.int("value")
            try db.execute("ROLLBACK")
            return seen
        }
        #expect(rolledBack == 8)
        #expect(try Self.counter(on: pool) == 4)
    }
}
