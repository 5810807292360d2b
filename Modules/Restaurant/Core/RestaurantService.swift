import Foundation
import Platform
import Postgres
import RestaurantAPI

/// The in-process implementation of `RestaurantFacade`, over the `restaurant` schema.
///
/// Every query runs in a transaction scoped to the caller's tenant
/// (`app.tenant`, which row-level security reads) and also filters on
/// `tenant_id` itself: two walls, so another restaurant's rows are never
/// seen, only ever "not found".
public final class RestaurantService: RestaurantFacade {
    let pool: PostgresPool

    /// What `profile` answers for a restaurant that never saved one.
    static let defaultCurrency = "USD"

    public init(pool: PostgresPool) {
        self.pool = pool
    }

    public func profile(_ context: CallContext) throws -> RestaurantProfile {
        try context.require(.cashier)
        let tenant = context.tenant.value
        return try pool.transaction(tenant: tenant) { db in
            let row = try db.query(
                "SELECT name, address, phone, currency FROM restaurant.profile WHERE tenant_id = \(tenant)"
            ).first
            guard let row else { return RestaurantProfile(name: tenant, currency: Self.defaultCurrency) }
            return try Self.profile(row)
        }
    }

    public func updateProfile(_ context: CallContext, _ changes: RestaurantProfileChanges) throws -> RestaurantProfile {
        try context.require(.manager)
        let name = try changes.name.map { try RestaurantInput.name($0) }
        // Present but empty clears the field; absent leaves it as it is.
        let address = try changes.address.flatMap(RestaurantInput.address)
        let phone = try changes.phone.flatMap(RestaurantInput.phone)
        let currency = try changes.currency.map(RestaurantInput.currency)
        let tenant = context.tenant.value
        return try pool.transaction(tenant: tenant) { db in
            // An upsert: the first save of a profile starts from the defaults `profile` shows.
            let row = try db.query(
                """
                INSERT INTO restaurant.profile AS p (tenant_id, name, address, phone, currency)
                VALUES (\(tenant), coalesce(\(name)::text, \(tenant)::text), \(address)::text, \(phone)::text,
                        coalesce(\(currency)::text, \(Self.defaultCurrency)::text))
                ON CONFLICT (tenant_id) DO UPDATE SET
                    name = coalesce(\(name)::text, p.name),
                    address = CASE WHEN \(changes.address != nil) THEN \(address)::text ELSE p.address END,
                    phone = CASE WHEN \(changes.phone != nil) THEN \(phone)::text ELSE p.phone END,
                    currency = coalesce(\(currency)::text, p.currency),
                    updated_at = now()
                RETURNING name, address, phone, currency
                """
            ).first!
            return try Self.profile(row)
        }
    }

    private static func profile(_ row: PostgresRow) throws -> RestaurantProfile {
        RestaurantProfile(
            name: try row.string("name"), address: try row.optionalString("address"),
            phone: try row.optionalString("phone"), currency: try row.string("currency"))
    }
}
