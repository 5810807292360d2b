import BanyanTestSupport
import Foundation
import Postgres
import Synchronization
import Testing

@Suite final class TransactionTests {
    static let counters = ModuleSchema(
        name: "counters",
        migrations: [
            Migration(
                version: 1, name: "counters",
                sql: "CREATE TABLE counters (id int PRIMARY KEY, value int NOT NULL); INSERT INTO counters VALUES (1, 0)")
        ])

    struct Refused: Error {}

    /// A fresh database per test: Swift Testing makes a suite instance per test.
    let database: Database
    let pool: PostgresPool

    init() throws {
        database = try TestDatabase.open(modules: [Self.counters], prefix: "transaction")
        pool = database.pool(for: "counters")
    }
    deinit { database.shutdown() }

    @Test func bodyThatThrowsIsRolledBack() throws {
        #expect(throws: Refused.self) {
            try pool.transaction(tenant: nil) { connection in
                try connection.execute("UPDATE counters SET value = 99 WHERE id = 1")
                throw Refused()
            }
        }
        let value = try pool.transaction(tenant: nil) {
            try $0.query("SELECT value FROM counters WHERE id = 1").first?.int("value")
        }
        #expect(value == 0)
    }

    @Test func committedWorkIsVisibleAndTenantIsSetForTheTransactionOnly() throws {
        let tenant = try pool.transaction(tenant: "demo-cafe") { connection in
            try connection.execute("UPDATE counters SET value = 5 WHERE id = 1")
            return try connection.query("SELECT current_setting('app.tenant', true) AS t").first?.optionalString("t")
        }
        #expect(tenant == "demo-cafe")
        let after = try pool.withConnection { connection in
            try connection.query("SELECT current_setting('app.tenant', true) AS t, (SELECT value FROM counters) AS v").first
        }
        #expect(try after?.optionalString("t").map { $0.isEmpty } ?? true)
        #expect(try after?.int("v") == 5)
    }

    @Test(arguments: [CommitDurability.durable, .flushedByLaterCommit])
    func durabilityIsSetForTheTransactionOnly(_ durability: CommitDurability) throws {
        // One connection, whose session default is made "on" whatever the test cluster's is.
        try withPool(of: Self.counters, size: 1, prefix: "durability") { pool in
            func setting(_ connection: PostgresConnection) throws -> String? {
                try connection.query("SELECT current_setting('synchronous_commit') AS s").first?.string("s")
            }
            try pool.withConnection { try $0.execute("SET synchronous_commit = on") }
            let serverDefault = try pool.withConnection(setting)
            #expect(serverDefault == "on")
            let inside = try pool.transaction(tenant: "demo-cafe", durability: durability) { connection in
                try connection.execute("UPDATE counters SET value = value + 1 WHERE id = 1")
                return try setting(connection)
            }
            #expect(inside == (durability == .durable ? serverDefault : "off"))
            #expect(try pool.withConnection(setting) == serverDefault, "the setting ends with the transaction")
            let value = try pool.withConnection { try $0.query("SELECT value FROM counters").first?.int("value") }
            #expect(value == 1, "committed either way")
        }
    }

    @Test func swallowedStatementErrorDoesNotPretendToCommit() throws {
        let error = #expect(throws: PostgresError.self) {
            try pool.transaction(tenant: nil) { connection in
                try connection.execute("UPDATE counters SET value = 7 WHERE id = 1")
                _ = try? connection.execute("INSERT INTO counters VALUES (1, 1)")  // duplicate key, ignored
            }
        }
        #expect(error?.kind == .transactionAborted)
        let value = try pool.withConnection { try $0.query("SELECT value FROM counters").first?.int("value") }
        #expect(value == 0)
    }

    /// Two serializable transactions read the same counter, then both write
    /// it. One must fail with 40001; the pool runs it again and both
    /// increments land.
    @Test func serializationFailureIsRetried() throws {
        let bothRead = Barrier(parties: 2)
        let attempts = Mutex<[Int]>([0, 0])
        let failures = runConcurrently(2) { [pool] index in
            try pool.transaction(tenant: nil, isolation: .serializable) { connection in
                let attempt = attempts.withLock { counts -> Int in
                    counts[index] += 1
                    return counts[index]
                }
                let value = try connection.query("SELECT value FROM counters WHERE id = 1").first!.int("value")
                if attempt == 1 { bothRead.arriveAndWait(timeout: 10) }
                try connection.execute("UPDATE counters SET value = \(value + 1) WHERE id = 1")
            }
        }
        #expect(failures.isEmpty, "\(failures)")
        let final = try pool.withConnection { try $0.query("SELECT value FROM counters").first?.int("value") }
        #expect(final == 2)
        let counts = attempts.withLock { $0 }
        #expect(counts.max() ?? 0 >= 2, "no transaction was retried: \(counts)")
    }

    @Test func nonTransientErrorsAreNotRetried() throws {
        let attempts = Mutex(0)
        let error = #expect(throws: PostgresError.self) {
            try database.pool(for: "counters").transaction(tenant: nil) { connection in
                attempts.withLock { $0 += 1 }
                try connection.execute("INSERT INTO counters VALUES (1, 1)")
            }
        }
        #expect(error?.isUniqueViolation == true)
        #expect(attempts.withLock { $0 } == 1)
    }
}
