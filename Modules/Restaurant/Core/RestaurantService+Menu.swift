import Foundation
import Platform
import Postgres
import RestaurantAPI

/// The menu: items, their prices, and soft deletion.
extension RestaurantService {
    public func menu(_ context: CallContext, includeUnavailable: Bool) throws -> [MenuItem] {
        try context.require(.cashier)
        let tenant = context.tenant.value
        return try pool.transaction(tenant: tenant) { db in
            try db.query(
                """
                SELECT \(sql: MenuItemRow.columns) FROM restaurant.menu_items
                WHERE tenant_id = \(tenant) AND deleted_at IS NULL AND (available OR \(includeUnavailable))
                ORDER BY category ASC NULLS LAST, name, id
                """
            ).map(MenuItemRow.menuItem)
        }
    }

    public func menuItem(_ context: CallContext, id: String) throws -> MenuItem {
        try context.require(.cashier)
        // Not a UUID cannot name an item: the same answer as an unknown one, never a database error.
        guard let uuid = UUID(uuidString: id) else { throw RestaurantError.menuItemNotFound }
        let tenant = context.tenant.value
        let item = try pool.transaction(tenant: tenant) { db in
            try db.query(
                """
                SELECT \(sql: MenuItemRow.columns) FROM restaurant.menu_items
                WHERE tenant_id = \(tenant) AND id = \(uuid) AND deleted_at IS NULL
                """
            ).first.map(MenuItemRow.menuItem)
        }
        guard let item else { throw RestaurantError.menuItemNotFound }
        return item
    }

    public func createMenuItem(_ context: CallContext, _ item: NewMenuItem) throws -> MenuItem {
        try context.require(.manager)
        let name = try RestaurantInput.name(item.name)
        let description = try RestaurantInput.description(item.description ?? "")
        let price = try RestaurantInput.price(item.priceCents)
        let currency = try item.currency.map(RestaurantInput.currency)
        let category = try item.category.flatMap(RestaurantInput.category)
        let available = item.available ?? true
        let tenant = context.tenant.value
        return try pool.transaction(tenant: tenant) { db in
            try MenuItemRow.menuItem(
                db.query(
                    """
                    INSERT INTO restaurant.menu_items
                        (tenant_id, name, description, price_cents, currency, category, available)
                    VALUES (\(tenant), \(name), \(description), \(price),
                            coalesce(\(currency)::text,
                                     (SELECT currency FROM restaurant.profile WHERE tenant_id = \(tenant)),
                                     \(Self.defaultCurrency)::text),
                            \(category), \(available))
                    RETURNING \(sql: MenuItemRow.columns)
                    """
                ).first!)
        }
    }

    public func updateMenuItem(_ context: CallContext, id: String, _ changes: MenuItemChanges) throws -> MenuItem {
        try context.require(.manager)
        let name = try changes.name.map { try RestaurantInput.name($0) }
        let description = try changes.description.map(RestaurantInput.description)
        let price = try changes.priceCents.map(RestaurantInput.price)
        let currency = try changes.currency.map(RestaurantInput.currency)
        // Present but empty takes the item out of its category.
        let category = try changes.category.flatMap(RestaurantInput.category)
        guard let uuid = UUID(uuidString: id) else { throw RestaurantError.menuItemNotFound }
        let tenant = context.tenant.value
        let item = try pool.transaction(tenant: tenant) { db in
            try db.query(
                """
                UPDATE restaurant.menu_items SET
                    name = coalesce(\(name)::text, name),
                    description = coalesce(\(description)::text, description),
                    price_cents = coalesce(\(price)::bigint, price_cents),
                    currency = coalesce(\(currency)::text, currency),
                    category = CASE WHEN \(changes.category != nil) THEN \(category)::text ELSE category END,
                    available = coalesce(\(changes.available)::boolean, available),
                    updated_at = now()
                WHERE tenant_id = \(tenant) AND id = \(uuid) AND deleted_at IS NULL
                RETURNING \(sql: MenuItemRow.columns)
                """
            ).first.map(MenuItemRow.menuItem)
        }
        guard let item else { throw RestaurantError.menuItemNotFound }
        return item
    }

    public func deleteMenuItem(_ context: CallContext, id: String) throws {
        try context.require(.manager)
        guard let uuid = UUID(uuidString: id) else { throw RestaurantError.menuItemNotFound }
        let tenant = context.tenant.value
        let deleted = try pool.transaction(tenant: tenant) { db in
            try db.execute(
                """
                UPDATE restaurant.menu_items SET deleted_at = now(), updated_at = now()
                WHERE tenant_id = \(tenant) AND id = \(uuid) AND deleted_at IS NULL
                """)
        }
        // A second delete finds nothing to delete, like any unknown id.
        guard deleted == 1 else { throw RestaurantError.menuItemNotFound }
    }

    public func prices(_ context: CallContext, itemIDs: [String]) throws -> [MenuItem] {
        try context.require(.cashier)
        // Ids that are not UUIDs cannot exist, so they are dropped like unknown ones.
        var seen = Set<UUID>()
        let ids = itemIDs.compactMap { UUID(uuidString: $0) }.filter { seen.insert($0).inserted }
        guard !ids.isEmpty else { return [] }
        let tenant = context.tenant.value
        return try pool.transaction(tenant: tenant) { db in
            // One statement whatever the count: the ids travel as a single array parameter.
            try db.query(
                """
                SELECT \(sql: MenuItemRow.columns) FROM restaurant.menu_items
                WHERE tenant_id = \(tenant) AND deleted_at IS NULL AND id = ANY(\(PostgresArray(ids)))
                """
            ).map(MenuItemRow.menuItem)
        }
    }
}
