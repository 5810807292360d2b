import BanyanTestSupport
import Foundation
import Postgres
import Testing

/// The database itself keeps modules and tenants apart.
@Suite final class ModuleIsolationTests {
    static let alpha = ModuleSchema(
        name: "alpha",
        migrations: [Migration(version: 1, name: "items", sql: "CREATE TABLE items (name text); INSERT INTO items VALUES ('a')")])
    static let beta = ModuleSchema(
        name: "beta",
        migrations: [Migration(version: 1, name: "items", sql: "CREATE TABLE items (name text); INSERT INTO items VALUES ('b')")])
    static let ledger = ModuleSchema(
        name: "ledger",
        migrations: [
            Migration(
                version: 1, name: "entries",
                sql: """
                    CREATE TABLE entries (id bigserial PRIMARY KEY, tenant_id text NOT NULL, note text NOT NULL);
                    \(RowLevelSecurity.tenantIsolationSQL(table: "entries"))
                    """)
        ])

    /// A fresh database per test (Swift Testing makes a suite instance per
    /// test), with all three modules side by side.
    let database: Database

    init() throws {
        database = try TestDatabase.open(modules: [Self.alpha, Self.beta, Self.ledger], prefix: "isolation")
    }
    deinit { database.shutdown() }

    @Test func moduleRoleCannotTouchAnotherModulesSchema() throws {
        let alpha = database.pool(for: "alpha")

        // Its own schema is on the search path.
        #expect(try alpha.withConnection { try $0.query("SELECT name FROM items").first?.string("name") } == "a")

        for statement: PostgresQuery in [
            "SELECT name FROM beta.items", "INSERT INTO beta.items VALUES ('x')", "CREATE TABLE beta.intruder (id int)",
        ] {
            let error = #expect(throws: PostgresError.self) { try alpha.withConnection { try $0.query(statement) } }
            #expect(error?.sqlState == "42501", "\(statement): \(String(describing: error.map { String(reflecting: $0) }))")
            #expect(error?.isPermissionDenied == true)
        }

        let attributes = try #require(
            try alpha.withConnection {
                try $0.query("SELECT current_user AS me, rolsuper, rolbypassrls, rolcreaterole, rolcreatedb FROM pg_roles WHERE rolname = current_user").first
            })
        #expect(try attributes.string("me") == "banyan_alpha")
        #expect(try attributes.bool("rolsuper") == false)
        #expect(try attributes.bool("rolbypassrls") == false)
        #expect(try attributes.bool("rolcreaterole") == false)
        #expect(try attributes.bool("rolcreatedb") == false)

        #expect(database.ping())
    }

    @Test func rowLevelSecuritySeparatesTenants() throws {
        let pool = database.pool(for: "ledger")

        try pool.transaction(tenant: "tenant-a") { connection in
            try connection.execute("INSERT INTO entries (tenant_id, note) VALUES (\("tenant-a"), \("a's secret"))")
        }
        func visibleCount(_ tenant: String?) throws -> Int? {
            try pool.transaction(tenant: tenant) { try $0.query("SELECT count(*) AS n FROM entries").first?.int("n") }
        }
        #expect(try visibleCount("tenant-a") == 1)
        #expect(try visibleCount("tenant-b") == 0)
        #expect(try visibleCount(nil) == 0)  // no tenant, no rows
        #expect(try pool.withConnection { try $0.query("SELECT count(*) AS n FROM entries").first?.int("n") } == 0)

        // Tenant B can neither write rows for A nor change A's rows.
        let refused = #expect(throws: PostgresError.self) {
            try pool.transaction(tenant: "tenant-b") { connection in
                try connection.execute("INSERT INTO entries (tenant_id, note) VALUES (\("tenant-a"), \("forged"))")
            }
        }
        #expect(refused?.sqlState == "42501")
        let changed = try pool.transaction(tenant: "tenant-b") { connection in
            try connection.execute("UPDATE entries SET note = 'overwritten'")
        }
        #expect(changed == 0)

        // The superuser sees through the policy: exactly A's one untouched row exists.
        let admin = try PostgresConnection(conninfo: database.adminConnectionInfo)
        defer { admin.close() }
        let rows = try admin.query("SELECT tenant_id, note FROM ledger.entries")
        #expect(rows.count == 1)
        #expect(try rows.first?.string("note") == "a's secret")
    }
}
