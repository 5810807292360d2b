import BanyanTestSupport
import Foundation
import Postgres
import Testing

@Suite struct MigrationTests {
    static let v1 = Migration(version: 1, name: "notes", sql: "CREATE TABLE notes (id serial PRIMARY KEY, body text NOT NULL)")
    static let v2 = Migration(version: 2, name: "welcome", sql: "INSERT INTO notes (body) VALUES ('welcome')")
    static let v3 = Migration(version: 3, name: "pinned", sql: "ALTER TABLE notes ADD COLUMN pinned boolean NOT NULL DEFAULT false")

    func open(_ conninfo: String, _ migrations: [Migration]) throws -> Database {
        try Database.open(
            modules: [ModuleSchema(name: "journal", migrations: migrations)],
            options: Database.Options(
                databaseURL: conninfo, rolePassword: TestDatabase.rolePassword, poolSize: 2))
    }

    func recorded(_ conninfo: String) throws -> [Int] {
        let admin = try PostgresConnection(conninfo: conninfo)
        defer { admin.close() }
        let exists = try admin.query("SELECT to_regclass('journal.schema_migrations') IS NOT NULL AS e").first?.bool("e")
        guard exists == true else { return [] }
        return try admin.query("SELECT version FROM journal.schema_migrations ORDER BY version").map { try $0.int("version") }
    }

    func noteCount(_ database: Database) throws -> Int? {
        try database.pool(for: "journal").withConnection { try $0.query("SELECT count(*) AS n FROM notes").first?.int("n") }
    }

    @Test func migrationsApplyOnceAndNewOnesLater() throws {
        let conninfo = TestDatabase.makeDatabase("migrate")
        let first = try open(conninfo, [Self.v1, Self.v2])
        #expect(try noteCount(first) == 1)
        first.shutdown()
        #expect(try recorded(conninfo) == [1, 2])

        let second = try open(conninfo, [Self.v1, Self.v2])
        #expect(try noteCount(second) == 1)  // v2's insert did not run again
        second.shutdown()

        let third = try open(conninfo, [Self.v3, Self.v1, Self.v2])  // order of the list does not matter
        defer { third.shutdown() }
        #expect(try recorded(conninfo) == [1, 2, 3])
        #expect(try third.pool(for: "journal").withConnection {
            try $0.query("SELECT pinned FROM notes").first?.bool("pinned")
        } == false)

        let admin = try PostgresConnection(conninfo: conninfo)
        defer { admin.close() }
        let row = try #require(try admin.query("SELECT name, checksum, applied_at FROM journal.schema_migrations WHERE version = 1").first)
        #expect(try row.string("name") == "notes")
        #expect(try row.string("checksum").count == 64)
        #expect(abs(try row.date("applied_at").timeIntervalSinceNow) < 600)
        // Migrations ran as the module role, which therefore owns the table.
        #expect(try admin.query("SELECT tableowner FROM pg_tables WHERE schemaname = 'journal' AND tablename = 'notes'")
            .first?.string("tableowner") == "banyan_journal")
    }

    @Test func changedAppliedMigrationIsAnError() throws {
        let conninfo = TestDatabase.makeDatabase("checksum")
        try open(conninfo, [Self.v1, Self.v2]).shutdown()
        let edited = Migration(version: 2, name: "welcome", sql: "INSERT INTO notes (body) VALUES ('hello')")
        let error = #expect(throws: PostgresError.self) { try open(conninfo, [Self.v1, edited]) }
        #expect(error?.kind == .migration)
        #expect(error.map { "\($0)" }?.contains("migration 2") == true)
    }

    @Test func failingMigrationLeavesNothingHalfDone() throws {
        let conninfo = TestDatabase.makeDatabase("badmigration")
        let broken = Migration(version: 2, name: "typo", sql: "CREAT TABLE oops (id int)")
        let error = #expect(throws: PostgresError.self) { try open(conninfo, [Self.v1, broken]) }
        #expect(error?.kind == .migration)
        #expect(error?.sqlState == "42601")
        #expect(error.map { "\($0)" }?.contains("typo") == true)
        #expect(try recorded(conninfo) == [])
        // Fixed, it applies cleanly.
        let database = try open(conninfo, [Self.v1, Self.v2])
        database.shutdown()
        #expect(try recorded(conninfo) == [1, 2])
    }

    @Test func duplicateVersionsAndBadNamesAreRefused() throws {
        let conninfo = TestDatabase.makeDatabase("badschema")
        let duplicate = #expect(throws: PostgresError.self) { try open(conninfo, [Self.v1, Self.v1]) }
        #expect(duplicate?.kind == .migration)
        for name in ["Journal", "pg_x", "public", "a-b"] {
            #expect(throws: PostgresError.self) {
                try Database.open(
                    modules: [ModuleSchema(name: name, migrations: [])],
                    options: Database.Options(databaseURL: conninfo, rolePassword: TestDatabase.rolePassword))
            }
        }
    }

    /// Several processes' worth of `Database.open` at once on one fresh
    /// database: all succeed, and each migration is applied and recorded once.
    @Test func concurrentOpensMigrateOnce() throws {
        let conninfo = TestDatabase.makeDatabase("concurrent")
        let failures = runConcurrently(4) { _ in
            let database = try open(conninfo, [Self.v1, Self.v2])
            database.shutdown()
        }
        #expect(failures.isEmpty, "\(failures)")
        #expect(try recorded(conninfo) == [1, 2])
        let admin = try PostgresConnection(conninfo: conninfo)
        defer { admin.close() }
        #expect(try admin.query("SELECT count(*) AS n FROM journal.notes").first?.int("n") == 1)
    }
}
