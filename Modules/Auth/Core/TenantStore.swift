import Foundation
import Postgres

/// The SQL of `auth.tenants`: one row per restaurant. Runs on a connection
/// inside a transaction the service opened, scoped to that tenant.
enum TenantStore {
    /// Inserts the tenant and returns when it was created; a taken id is a
    /// unique violation.
    static func insert(id: String, name: String, on db: PostgresConnection) throws -> Date {
        try db.query(
            "INSERT INTO auth.tenants (tenant_id, name) VALUES (\(id), \(name)) RETURNING created_at"
        ).first!.date("created_at")
    }
}
