import BanyanTestSupport
import Events
import Foundation
import Platform
import Postgres
import Testing

/// The outbox is under the same tenant wall as every other table; only the
/// dispatcher's own setting looks across it.
@Suite final class OutboxSecurityTests {
    static let other = ModuleSchema(
        name: "evother", migrations: [Migration(version: 1, name: "empty", sql: "SELECT 1")])

    /// A fresh database per test (Swift Testing makes a suite instance per
    /// test), with a second module beside the one that writes events.
    let database: Database
    let pool: PostgresPool

    init() throws {
        database = try TestDatabase.open(modules: [EventTestSchema.module, Self.other], prefix: "events")
        pool = database.pool(for: EventTestSchema.name)
    }
    deinit { database.shutdown() }

    @Test func tenantSeesOnlyItsOwnOutboxRows() throws {
        try postNote("for a", tenant: tenantA, on: pool)
        try postNote("for b", tenant: tenantB, on: pool)
        try postNote("for b again", tenant: tenantB, on: pool)

        func tenants(_ tenant: String?) throws -> [String] {
            try pool.transaction(tenant: tenant) { db in
                try db.query("SELECT tenant_id FROM evtest.outbox ORDER BY id").map { try $0.string("tenant_id") }
            }
        }
        #expect(try tenants(tenantA.value) == [tenantA.value])
        #expect(try tenants(tenantB.value) == [tenantB.value, tenantB.value])
        #expect(try tenants(nil).isEmpty)  // no tenant, no rows

        // Tenant A can neither change nor remove B's events.
        let touched = try pool.transaction(tenant: tenantA.value) { db in
            try db.execute("UPDATE evtest.outbox SET status = 'delivered'")
                + db.execute("DELETE FROM evtest.outbox WHERE tenant_id = \(tenantB.value)")
        }
        #expect(touched == 1)  // its own row only
        #expect(try outboxRows(tenantB, on: pool).map(\.status) == ["pending", "pending"])

        // The dispatcher's setting is what reads across tenants.
        let everyone = try pool.transaction(tenant: nil) { db in
            try db.query("SELECT set_config('app.outbox_dispatcher', 'on', true)")
            return try db.query("SELECT count(*) AS n FROM evtest.outbox").first?.int("n")
        }
        #expect(everyone == 3)
        // … and it ends with its transaction.
        #expect(try tenants(nil).isEmpty)
    }

    @Test func anotherModulesRoleCannotReadTheOutbox() throws {
        try postNote("private", on: pool)

        let error = #expect(throws: PostgresError.self) {
            try database.pool(for: "evother").transaction(tenant: nil) { db in
                try db.query("SELECT set_config('app.outbox_dispatcher', 'on', true)")
                return try db.query("SELECT count(*) AS n FROM evtest.outbox")
            }
        }
        #expect(error?.isPermissionDenied == true)
    }
}
