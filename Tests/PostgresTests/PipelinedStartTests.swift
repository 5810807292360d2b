import BanyanTestSupport
import Foundation
import Postgres
import Synchronization
import Testing

/// `transaction(tenant:)` sends `BEGIN` and the tenant setting together with
/// the body's first statement. Seen from the body, nothing may differ from
/// three separate round trips: the same isolation, tenant, errors and retries.
///
/// One connection per pool, so a test can tell the connection it had from a new one.
@Suite final class PipelinedStartTests {
    /// A fresh database per test: Swift Testing makes a suite instance per test.
    let database: Database
    let pool: PostgresPool

    init() throws {
        database = try TestDatabase.open(modules: [TransactionTests.counters], prefix: "pipelined", poolSize: 1)
        pool = database.pool(for: "counters")
    }
    deinit { database.shutdown() }

    @Test func firstStatementRunsInsideTheTransactionWithItsTenantAndIsolation() throws {
        let levels: [(IsolationLevel, String)] = [
            (.readCommitted, "read committed"), (.repeatableRead, "repeatable read"), (.serializable, "serializable"),
        ]
        for (isolation, name) in levels {
            let row = try pool.transaction(tenant: "demo-cafe", isolation: isolation) { connection in
                try connection.query(
                    """
                    SELECT current_setting('app.tenant', true) AS tenant,
                           current_setting('transaction_isolation') AS isolation
                    """
                ).first
            }
            #expect(try row?.string("tenant") == "demo-cafe")
            #expect(try row?.string("isolation") == name)
        }
    }

    /// The first statement fails inside the round trip that opened the
    /// transaction: the same `PostgresError` as before, a rollback, and the
    /// connection goes on serving (not replaced, no tenant left behind).
    @Test func failingFirstStatementRollsBackAndTheConnectionIsReused() throws {
        let pid = try pool.withConnection { $0.backendPID }

        let attempts = Mutex(0)
        let duplicate = #expect(throws: PostgresError.self) {
            try pool.transaction(tenant: "first") { connection in
                attempts.withLock { $0 += 1 }
                try connection.execute("INSERT INTO counters VALUES (\(1), \(1))")
                try connection.execute("UPDATE counters SET value = 50")
            }
        }
        #expect(duplicate?.kind == .server)
        #expect(duplicate?.sqlState == "23505")
        #expect(duplicate?.constraint == "counters_pkey")
        #expect(attempts.withLock { $0 } == 1)

        let syntax = #expect(throws: PostgresError.self) {
            try pool.transaction(tenant: "second") { try $0.execute("UPDAT counters SET value = 60") }
        }
        #expect(syntax?.sqlState == "42601")

        let after = try pool.transaction(tenant: "third") { connection in
            try connection.query(
                """
                SELECT current_setting('app.tenant', true) AS tenant, pg_backend_pid() AS pid,
                       (SELECT value FROM counters WHERE id = 1) AS value, (SELECT count(*) FROM counters) AS rows
                """
            ).first
        }
        #expect(try after?.string("tenant") == "third")
        #expect(try after?.int32("pid") == pid)
        #expect(try after?.int("value") == 0)
        #expect(try after?.int("rows") == 1)
        #expect(pool.openConnectionCount == 1)
    }

    @Test func bodyWithoutStatementsOpensNoTransaction() throws {
        #expect(try pool.transaction(tenant: "demo-cafe") { _ in 7 } == 7)
        #expect(throws: TransactionTests.Refused.self) {
            try pool.transaction(tenant: "demo-cafe") { _ in throw TransactionTests.Refused() }
        }
        // The next transaction starts cleanly on the same connection.
        let tenant = try pool.transaction(tenant: "next") {
            try $0.query("SELECT current_setting('app.tenant', true) AS t").first?.string("t")
        }
        #expect(tenant == "next")
    }

    /// A script cannot join the pipeline: the start goes first on its own,
    /// and the script still runs inside the transaction.
    @Test func scriptAsFirstStatementRunsInsideTheTransaction() throws {
        #expect(throws: TransactionTests.Refused.self) {
            try pool.transaction(tenant: "demo-cafe") { connection in
                try connection.executeScript("UPDATE counters SET value = 42; UPDATE counters SET value = value + 1")
                throw TransactionTests.Refused()
            }
        }
        let value = try pool.transaction(tenant: nil) {
            try $0.query("SELECT value FROM counters WHERE id = 1").first?.int("value")
        }
        #expect(value == 0)
    }

    /// The connection dies before the body's first statement reaches the
    /// server: nothing of the transaction can have happened, so it runs
    /// again on a new connection, as when `BEGIN` itself used to fail.
    @Test func connectionLostWhileStartingIsRetriedOnANewConnection() throws {
        let admin = try PostgresConnection(conninfo: database.adminConnectionInfo)
        defer { admin.close() }
        let backends = Mutex<[Int32]>([])
        try pool.transaction(tenant: "demo-cafe") { connection in
            let attempt = backends.withLock { pids -> Int in
                pids.append(connection.backendPID)
                return pids.count
            }
            if attempt == 1 {
                try admin.query("SELECT pg_terminate_backend(\(connection.backendPID), \(5000))")
            }
            try connection.execute("UPDATE counters SET value = value + 1 WHERE id = 1")
        }
        let pids = backends.withLock { $0 }
        #expect(pids.count == 2)
        #expect(Set(pids).count == 2)
        let value = try pool.transaction(tenant: nil) {
            try $0.query("SELECT value FROM counters WHERE id = 1").first?.int("value")
        }
        #expect(value == 1)
    }

    /// A connection lost after the body's first round trip is not retried:
    /// the body may have done more than database work by then.
    @Test func connectionLostLaterInTheBodyIsNotRetried() throws {
        let admin = try PostgresConnection(conninfo: database.adminConnectionInfo)
        defer { admin.close() }
        let attempts = Mutex(0)
        let error = #expect(throws: PostgresError.self) {
            try pool.transaction(tenant: "demo-cafe") { connection in
                attempts.withLock { $0 += 1 }
                try connection.execute("UPDATE counters SET value = value + 1 WHERE id = 1")
                try admin.query("SELECT pg_terminate_backend(\(connection.backendPID), \(5000))")
                try connection.execute("UPDATE counters SET value = value + 1 WHERE id = 1")
            }
        }
        #expect(error?.isConnectionFailure == true)
        #expect(attempts.withLock { $0 } == 1)
        let value = try pool.transaction(tenant: nil) {
            try $0.query("SELECT value FROM counters WHERE id = 1").first?.int("value")
        }
        #expect(value == 0)
    }
}
