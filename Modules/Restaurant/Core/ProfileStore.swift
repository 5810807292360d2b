import Postgres
import RestaurantAPI

/// The SQL of `restaurant.profile`: at most one row per tenant. Every method
/// runs on a connection inside a transaction the service opened, scoped to
/// `tenant` (and filters by it as well).
enum ProfileStore {
    /// The saved profile; nil when the restaurant never saved one.
    static func find(tenant: String, on db: PostgresConnection) throws -> ProfileRecord? {
        try db.query(
            "SELECT \(sql: ProfileRecord.columns) FROM restaurant.profile WHERE tenant_id = \(tenant)"
        ).first.map(ProfileRecord.init(row:))
    }

    /// Saves the fields given (nil leaves one as it is; `.some(nil)` clears
    /// `address` or `phone`). The first save starts from the defaults: the
    /// tenant id as name, `defaultCurrency`.
    static func save(
        name: String?, address: String??, phone: String??, currency: String?, defaultCurrency: String,
        tenant: String, on db: PostgresConnection
    ) throws -> ProfileRecord {
        try ProfileRecord(
            row: db.query(
                """
                INSERT INTO restaurant.profile AS p (tenant_id, name, address, phone, currency)
                VALUES (\(tenant), coalesce(\(name)::text, \(tenant)::text), \(address ?? nil)::text, \(phone ?? nil)::text,
                        coalesce(\(currency)::text, \(defaultCurrency)::text))
                ON CONFLICT (tenant_id) DO UPDATE SET
                    name = coalesce(\(name)::text, p.name),
                    address = CASE WHEN \(address != nil) THEN \(address ?? nil)::text ELSE p.address END,
                    phone = CASE WHEN \(phone != nil) THEN \(phone ?? nil)::text ELSE p.phone END,
                    currency = coalesce(\(currency)::text, p.currency),
                    updated_at = now()
                RETURNING \(sql: ProfileRecord.columns)
                """
            ).first!)
    }
}
