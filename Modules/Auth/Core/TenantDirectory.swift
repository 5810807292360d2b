import Postgres

/// Every restaurant's id, across tenants: what the flags control plane
/// previews a rollout or default change against, so it can name each tenant
/// that would move. Reads only ids, under the `tenant_directory` policy, in
/// a transaction scoped to no tenant that switches the policy on for itself
/// alone (`set_config(…, true)` ends with the transaction).
package struct TenantDirectory: Sendable {
    private let pool: PostgresPool

    package init(pool: PostgresPool) {
        self.pool = pool
    }

    /// The ids, sorted.
    package func tenantIDs() throws -> [String] {
        try pool.transaction(tenant: nil) { db in
            try db.execute("SELECT set_config('app.tenant_directory', 'on', true)")
            return try db.query("SELECT tenant_id FROM auth.tenants ORDER BY tenant_id").map { try $0.string("tenant_id") }
        }
    }
}
