import BanyanTestSupport
import Foundation
import Postgres
import Testing

/// `PostgresPool.autocommit`: each statement its own transaction, sent with
/// the tenant setting in one round trip. What it saves (a `BEGIN`, a
/// `COMMIT` and a round trip per read) must cost nothing in isolation: every
/// statement sees its own tenant's rows only, a refused write leaves
/// nothing, and no setting outlives the statement it travelled with.
///
/// One connection per pool, so what a statement leaves behind is what the
/// next borrower of that same connection would see.
@Suite final class AutocommitTests {
    static let notes = ModuleSchema(
        name: "notes",
        migrations: [
            Migration(
                version: 1, name: "tenant notes",
                sql: """
                    CREATE TABLE notes (tenant_id text NOT NULL, body text NOT NULL);
                    \(RowLevelSecurity.tenantIsolationSQL(table: "notes"))
                    """)
        ])

    let database: Database
    let pool: PostgresPool

    init() throws {
        database = try TestDatabase.open(modules: [Self.notes], prefix: "autocommit", poolSize: 1)
        pool = database.pool(for: "notes")
        for (tenant, body) in [("north-cafe", "north 1"), ("north-cafe", "north 2"), ("south-cafe", "south 1")] {
            try pool.transaction(tenant: tenant) { try $0.execute("INSERT INTO notes VALUES (\(tenant), \(body))") }
        }
    }
    deinit { database.shutdown() }

    /// What the connection's session has set now, outside any transaction.
    private func sessionSettings() throws -> (tenant: String?, synchronousCommit: String) {
        let row = try pool.withConnection { connection in
            try connection.query(
                """
                SELECT nullif(current_setting('app.tenant', true), '') AS tenant,
                       current_setting('synchronous_commit') AS synchronous_commit
                """
            ).first!
        }
        return (try row.optionalString("tenant"), try row.string("synchronous_commit"))
    }

    @Test func everyStatementSeesItsTenantOnlyAndNothingOutlivesIt() throws {
        // The test cluster may not wait for the disk at all: what matters is that the session's own setting comes back.
        try pool.withConnection { try $0.execute("SET synchronous_commit = on") }
        let (first, second, unfiltered) = try pool.autocommit(tenant: "north-cafe", durability: .flushedByLaterCommit) {
            db in
            let first = try db.query(
                "SELECT current_setting('app.tenant') AS tenant, current_setting('synchronous_commit') AS sync"
            ).first!
            let second = try db.query(
                "SELECT current_setting('app.tenant') AS tenant, current_setting('synchronous_commit') AS sync"
            ).first!
            // No tenant filter of its own: only row-level security stands between the tenants here.
            let unfiltered = try db.query("SELECT body FROM notes ORDER BY body").map { try $0.string("body") }
            return (first, second, unfiltered)
        }
        for row in [first, second] {
            #expect(try row.string("tenant") == "north-cafe")
            #expect(try row.string("sync") == "off")
        }
        #expect(unfiltered == ["north 1", "north 2"])

        let after = try sessionSettings()
        #expect(after.tenant == nil, "the tenant stayed on the connection")
        #expect(after.synchronousCommit == "on")
        let south = try pool.autocommit(tenant: "south-cafe") {
            try $0.query("SELECT body FROM notes").map { try $0.string("body") }
        }
        #expect(south == ["south 1"])
    }

    @Test func eachStatementCommitsOnItsOwnAndARefusedOneLeavesNothing() throws {
        struct Stop: Error {}
        #expect(throws: Stop.self) {
            try pool.autocommit(tenant: "north-cafe") { db in
                try db.execute("INSERT INTO notes VALUES ('north-cafe', 'kept')")
                throw Stop()
            }
        }
        // Another tenant's row under this tenant's setting: the policy's check refuses it.
        let refused = #expect(throws: PostgresError.self) {
            try pool.autocommit(tenant: "north-cafe") { try $0.execute("INSERT INTO notes VALUES ('south-cafe', 'smuggled')") }
        }
        #expect(refused?.isPermissionDenied == true)
        let all = try pool.transaction(tenant: nil) { db in
            try db.execute("SELECT set_config('app.tenant', 'north-cafe', true)")
            return try db.query("SELECT body FROM notes ORDER BY body").map { try $0.string("body") }
        }
        #expect(all == ["kept", "north 1", "north 2"])
        #expect(try pool.autocommit(tenant: "south-cafe") { try $0.query("SELECT count(*) AS n FROM notes").first!.int("n") } == 1)
        #expect(try sessionSettings().tenant == nil)
    }

    @Test func aStatementIsOneRoundTripWithItsSettingAndCountsAsACommit() throws {
        try pool.withConnection { try $0.query("SELECT 1 AS one") }
        let before = pool.counters.snapshot
        _ = try pool.autocommit(tenant: "north-cafe") { try $0.query("SELECT count(*) AS n FROM notes") }
        let read = pool.counters.snapshot - before
        #expect(read == DatabaseCounters.Snapshot(statements: 2, roundTrips: 1, commits: 1, rollbacks: 0))

        let beforeTransaction = pool.counters.snapshot
        _ = try pool.transaction(tenant: "north-cafe") { try $0.query("SELECT count(*) AS n FROM notes") }
        let transaction = pool.counters.snapshot - beforeTransaction
        #expect(transaction == DatabaseCounters.Snapshot(statements: 4, roundTrips: 2, commits: 1, rollbacks: 0))
    }
}
