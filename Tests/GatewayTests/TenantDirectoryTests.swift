import Auth
import Foundation
import Postgres
import Testing

/// Auth's tenant directory reads every restaurant's id for the flags
/// preview and status, under a policy a transaction switches on for itself
/// only: a tenant's own transaction still sees its own row alone, and the
/// switch does not outlive the directory's read on the pooled connection.
@Suite struct TenantDirectoryTests {
    @Test func theDirectoryListsEveryTenantAndNothingElseSeesAcross() throws {
        let app = try TestGateway()
        let a = try app.tenantWithAdmin("dir-a").tenant
        let b = try app.tenantWithAdmin("dir-b").tenant
        let pool = app.database.pool(for: "auth")
        let directory = TenantDirectory(pool: pool)

        #expect(Set(try directory.tenantIDs()) == [a, b])
        #expect(try directory.tenantIDs() == [a, b].sorted())
        func visible(tenant: String?) throws -> [String] {
            try pool.transaction(tenant: tenant) { db in
                try db.query("SELECT tenant_id FROM auth.tenants").map { try $0.string("tenant_id") }
            }
        }
        // Each right after a directory read, on the connections the pool hands back.
        for _ in 0..<8 {
            _ = try directory.tenantIDs()
            #expect(try visible(tenant: a) == [a])
            #expect(try visible(tenant: nil).isEmpty)
        }
        // The switch opens ids only: the users' rows stay behind their tenant.
        let users = try pool.transaction(tenant: nil) { db in
            try db.execute("SELECT set_config('app.tenant_directory', 'on', true)")
            return try db.query("SELECT count(*) AS n FROM auth.users").first!.int("n")
        }
        #expect(users == 0)
    }
}
