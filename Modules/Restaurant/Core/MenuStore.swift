import Foundation
import Postgres
import RestaurantAPI

/// The SQL of `restaurant.menu_items`. Every method runs on a connection
/// inside a transaction the service opened, scoped to `tenant` (and filters
/// by it as well). Deleted items stay, with `deleted_at` set, so orders that
/// sold them keep their history; no statement here returns them.
enum MenuStore {
    /// The unique index on a restaurant's live menu names, ignoring case
    /// and surrounding spaces (`RestaurantSchema` migration 2).
    static let uniqueName = "menu_items_unique_name"

    /// The menu as guests see it, by category (uncategorised last), then name.
    static func menu(includeUnavailable: Bool, tenant: String, on db: PostgresConnection) throws -> [MenuItemRecord] {
        try db.query(
            """
            SELECT \(sql: MenuItemRecord.columns) FROM restaurant.menu_items
            WHERE tenant_id = \(tenant) AND deleted_at IS NULL AND (available OR \(includeUnavailable))
            ORDER BY category ASC NULLS LAST, name, id
            """
        ).map(MenuItemRecord.init(row:))
    }

    static func find(id: UUID, tenant: String, on db: PostgresConnection) throws -> MenuItemRecord? {
        try db.query(
            """
            SELECT \(sql: MenuItemRecord.columns) FROM restaurant.menu_items
            WHERE tenant_id = \(tenant) AND id = \(id) AND deleted_at IS NULL
            """
        ).first.map(MenuItemRecord.init(row:))
    }

    /// The items among `ids`, in no particular order. One statement whatever
    /// the count: the ids travel as a single array parameter.
    static func find(ids: [UUID], tenant: String, on db: PostgresConnection) throws -> [MenuItemRecord] {
        try db.query(
            """
            SELECT \(sql: MenuItemRecord.columns) FROM restaurant.menu_items
            WHERE tenant_id = \(tenant) AND deleted_at IS NULL AND id = ANY(\(PostgresArray(ids)))
            """
        ).map(MenuItemRecord.init(row:))
    }

    /// Without a `currency`, the item is priced in the restaurant's own
    /// (its profile's), else in `defaultCurrency`.
    static func insert(
        name: String, description: String, priceCents: Int64, currency: String?, category: String?, available: Bool,
        defaultCurrency: String, tenant: String, on db: PostgresConnection
    ) throws -> MenuItemRecord {
        try MenuItemRecord(
            row: db.query(
                """
                INSERT INTO restaurant.menu_items
                    (tenant_id, name, description, price_cents, currency, category, available)
                VALUES (\(tenant), \(name), \(description), \(priceCents),
                        coalesce(\(currency)::text,
                                 (SELECT currency FROM restaurant.profile WHERE tenant_id = \(tenant)),
                                 \(defaultCurrency)::text),
                        \(category), \(available))
                RETURNING \(sql: MenuItemRecord.columns)
                """
            ).first!)
    }

    /// Changes the fields given (nil leaves one as it is); nil when there is
    /// no such item. `category`: `.some(nil)` takes the item out of its category.
    static func update(
        id: UUID, name: String?, description: String?, priceCents: Int64?, currency: String?, category: String??,
        available: Bool?, tenant: String, on db: PostgresConnection
    ) throws -> MenuItemRecord? {
        try db.query(
            """
            UPDATE restaurant.menu_items SET
                name = coalesce(\(name)::text, name),
                description = coalesce(\(description)::text, description),
                price_cents = coalesce(\(priceCents)::bigint, price_cents),
                currency = coalesce(\(currency)::text, currency),
                category = CASE WHEN \(category != nil) THEN \(category ?? nil)::text ELSE category END,
                available = coalesce(\(available)::boolean, available),
                updated_at = now()
            WHERE tenant_id = \(tenant) AND id = \(id) AND deleted_at IS NULL
            RETURNING \(sql: MenuItemRecord.columns)
            """
        ).first.map(MenuItemRecord.init(row:))
    }

    /// Marks the item deleted; false when there was no such item (or it was deleted already).
    static func delete(id: UUID, tenant: String, on db: PostgresConnection) throws -> Bool {
        try db.execute(
            """
            UPDATE restaurant.menu_items SET deleted_at = now(), updated_at = now()
            WHERE tenant_id = \(tenant) AND id = \(id) AND deleted_at IS NULL
            """) == 1
    }
}
