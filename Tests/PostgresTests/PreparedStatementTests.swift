import BanyanTestSupport
import Foundation
import Postgres
import Testing

/// Each connection parses a statement once and reuses it; the cache never
/// holds a name the server does not have, and never outlives its session.
///
/// Test statements carry a marker comment, which PostgreSQL keeps in
/// `pg_prepared_statements.statement`, so each test sees only its own.
@Suite struct PreparedStatementTests {
    struct Prepared: Equatable {
        var statement: String
        var types: String
        var runs: Int
    }

    /// What the server has prepared on `connection` whose text contains `marker`.
    static func prepared(on connection: PostgresConnection, marked marker: String) throws -> [Prepared] {
        try connection.query(
            """
            SELECT statement, parameter_types::text AS types, generic_plans + custom_plans AS runs
            FROM pg_prepared_statements WHERE strpos(statement, \(marker)) > 0 ORDER BY statement, types
            """
        ).map { row in
            Prepared(statement: try row.string("statement"), types: try row.string("types"), runs: try row.int("runs"))
        }
    }

    @Test func aStatementIsPreparedOnceAndReused() throws {
        let connection = try freshConnection("psreuse")
        defer { connection.close() }
        for value in 1...5 {
            #expect(try connection.query("SELECT /* ps-reuse */ \(value) AS v").first?.int("v") == value)
        }
        let statements = try Self.prepared(on: connection, marked: "ps-reuse")
        #expect(statements == [Prepared(statement: "SELECT /* ps-reuse */ $1 AS v", types: "{bigint}", runs: 5)])
    }

    @Test func sameSQLWithDifferentBindTypesGetsAStatementPerTypeList() throws {
        let connection = try freshConnection("pstypes")
        defer { connection.close() }
        for _ in 0..<2 {
            #expect(try connection.query("SELECT /* ps-types */ \(42) AS v").first?.int("v") == 42)
            #expect(try connection.query("SELECT /* ps-types */ \("forty-two") AS v").first?.string("v") == "forty-two")
            #expect(try connection.query("SELECT /* ps-types */ \(true) AS v").first?.bool("v") == true)
        }
        let statements = try Self.prepared(on: connection, marked: "ps-types")
        #expect(statements.map(\.types) == ["{bigint}", "{boolean}", "{text}"])
        #expect(statements.allSatisfy { $0.runs == 2 }, "\(statements)")
    }

    @Test func failedPreparationLeavesNoNameBehind() throws {
        let connection = try freshConnection("psfail")
        defer { connection.close() }
        let missing = #expect(throws: PostgresError.self) {
            try connection.query("SELECT /* ps-fail */ n FROM later")
        }
        #expect(missing?.sqlState == "42P01")
        #expect(try Self.prepared(on: connection, marked: "ps-fail").isEmpty)

        // Refused inside a failed transaction: the server never parsed it.
        try connection.execute("BEGIN")
        _ = try? connection.execute("SELECT 1/0")
        let aborted = #expect(throws: PostgresError.self) {
            try connection.query("SELECT /* ps-fail-aborted */ \(1) AS one")
        }
        #expect(aborted?.sqlState == "25P02")
        try connection.execute("ROLLBACK")
        #expect(try Self.prepared(on: connection, marked: "ps-fail").isEmpty)

        // Both work once they can, prepared afresh. Inside a transaction, where
        // a name the server lacks could not be repaired behind the caller's back.
        try connection.executeScript("CREATE TABLE later (n int); INSERT INTO later VALUES (7)")
        try connection.execute("BEGIN")
        #expect(try connection.query("SELECT /* ps-fail */ n FROM later").first?.int("n") == 7)
        #expect(try connection.query("SELECT /* ps-fail-aborted */ \(1) AS one").first?.int("one") == 1)
        try connection.execute("COMMIT")
        #expect(try Self.prepared(on: connection, marked: "ps-fail").map(\.runs) == [1, 1])
    }

    /// Prepared statements are not transactional: one first parsed in a
    /// transaction that rolled back is still there, and reused.
    @Test func statementPreparedInARolledBackTransactionIsReused() throws {
        let connection = try freshConnection("psrollback")
        defer { connection.close() }
        try connection.execute("BEGIN")
        #expect(try connection.query("SELECT /* ps-rollback */ \(1) AS one").count == 1)
        try connection.execute("ROLLBACK")
        #expect(try connection.query("SELECT /* ps-rollback */ \(2) AS one").first?.int("one") == 2)
        #expect(try Self.prepared(on: connection, marked: "ps-rollback").map(\.runs) == [2])
    }

    @Test func evictedStatementsAreDeallocated() throws {
        let connection = try PostgresConnection(
            conninfo: TestDatabase.makeDatabase("psevict"), statementCacheCapacity: 2)
        defer { connection.close() }
        #expect(try connection.query("SELECT /* ps-evict-1 */ \(1) AS n").count == 1)
        #expect(try connection.query("SELECT /* ps-evict-2 */ \(2) AS n").count == 1)
        #expect(try connection.query("SELECT /* ps-evict-3 */ \(3) AS n").count == 1)
        // The first look evicts statement 2 to make room for itself; the
        // second look finds statements 1 and 2 deallocated.
        _ = try Self.prepared(on: connection, marked: "ps-evict")
        let left = try Self.prepared(on: connection, marked: "ps-evict")
        #expect(left.map(\.statement) == ["SELECT /* ps-evict-3 */ $1 AS n"])
        // An evicted statement is simply prepared again.
        #expect(try connection.query("SELECT /* ps-evict-1 */ \(1) AS n").first?.int("n") == 1)
    }

    /// DDL that changes a cached statement's result columns, or a
    /// `DEALLOCATE ALL` behind the cache's back: outside a transaction the
    /// statement is prepared again and the call succeeds.
    @Test func staleStatementsArePreparedAgainOutsideTransactions() throws {
        let connection = try freshConnection("psstale")
        defer { connection.close() }
        try connection.executeScript("CREATE TABLE shapes (a int); INSERT INTO shapes VALUES (1)")
        #expect(try connection.query("SELECT /* ps-stale */ * FROM shapes").columns == ["a"])
        try connection.executeScript("ALTER TABLE shapes ADD COLUMN b int DEFAULT 2")
        let widened = try connection.query("SELECT /* ps-stale */ * FROM shapes")
        #expect(widened.columns == ["a", "b"])
        #expect(try widened.first?.int("b") == 2)

        try connection.executeScript("DEALLOCATE ALL")
        #expect(try connection.query("SELECT /* ps-stale */ * FROM shapes").count == 1)
        #expect(try Self.prepared(on: connection, marked: "ps-stale").map(\.runs) == [1])
    }

    /// A replacement connection starts with an empty cache: its statements are
    /// prepared on its own server session, not assumed from the dead one.
    @Test func brokenConnectionWithCachedStatementsIsReplacedAndWorks() throws {
        let pool = PostgresPool(conninfo: TestDatabase.makeDatabase("psbroken"), size: 1)
        defer { pool.close() }
        let admin = try PostgresConnection(conninfo: TestDatabase.shared)
        defer { admin.close() }
        let read: (PostgresConnection) throws -> Int? = {
            try $0.query("SELECT /* ps-broken */ current_setting('app.tenant', true) AS t, \(5) AS n").first?.int("n")
        }

        let first = try pool.transaction(tenant: "before") { connection throws -> Int32 in
            #expect(try read(connection) == 5)
            return connection.backendPID
        }
        #expect(try pool.transaction(tenant: "before", read) == 5)
        #expect(try admin.query("SELECT pg_terminate_backend(\(first), \(5000)) AS done").first?.bool("done") == true)

        let (second, statements) = try pool.transaction(tenant: "after") { connection throws -> (Int32, [Prepared]) in
            #expect(try read(connection) == 5)
            return (connection.backendPID, try Self.prepared(on: connection, marked: "ps-broken"))
        }
        #expect(second != first)
        #expect(statements.map(\.runs) == [1])
        #expect(pool.openConnectionCount == 1)
    }
}
