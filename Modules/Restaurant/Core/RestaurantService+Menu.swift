import Foundation
import Platform
import Postgres
import RestaurantAPI

/// The menu: items, their prices, and soft deletion.
extension RestaurantService {
    package func menu(_ context: CallContext, includeUnavailable: Bool) throws -> [MenuItem] {
        try context.require(.cashier)
        let tenant = context.tenant.value
        return try pool.autocommit(tenant: tenant) {
            try MenuStore.menu(includeUnavailable: includeUnavailable, tenant: tenant, on: $0).map(\.menuItem)
        }
    }

    package func menuItem(_ context: CallContext, id: String) throws -> MenuItem {
        try context.require(.cashier)
        // Not a UUID cannot name an item: the same answer as an unknown one, never a database error.
        guard let uuid = UUID(uuidString: id) else { throw RestaurantError.menuItemNotFound }
        let tenant = context.tenant.value
        let item = try pool.autocommit(tenant: tenant) { try MenuStore.find(id: uuid, tenant: tenant, on: $0) }
        guard let item else { throw RestaurantError.menuItemNotFound }
        return item.menuItem
    }

    package func createMenuItem(_ context: CallContext, _ item: NewMenuItem) throws -> MenuItem {
        try context.require(.manager)
        let name = try RestaurantInput.name(item.name)
        let description = try RestaurantInput.description(item.description ?? "")
        let price = try RestaurantInput.price(item.priceCents)
        let currency = try item.currency.map(RestaurantInput.currency)
        let category = try item.category.flatMap(RestaurantInput.category)
        let available = item.available ?? true
        let tenant = context.tenant.value
        return try Self.uniqueName {
            try pool.transaction(tenant: tenant) {
                try MenuStore.insert(
                    name: name, description: description, priceCents: price, currency: currency, category: category,
                    available: available, defaultCurrency: Self.defaultCurrency, tenant: tenant, on: $0)
            }
        }.menuItem
    }

    package func updateMenuItem(_ context: CallContext, id: String, _ changes: MenuItemChanges) throws -> MenuItem {
        try context.require(.manager)
        let name = try changes.name.map { try RestaurantInput.name($0) }
        let description = try changes.description.map(RestaurantInput.description)
        let price = try changes.priceCents.map(RestaurantInput.price)
        let currency = try changes.currency.map(RestaurantInput.currency)
        // Present but empty takes the item out of its category.
        let category = try changes.category.map(RestaurantInput.category)
        guard let uuid = UUID(uuidString: id) else { throw RestaurantError.menuItemNotFound }
        let tenant = context.tenant.value
        let item = try Self.uniqueName {
            try pool.transaction(tenant: tenant) {
                try MenuStore.update(
                    id: uuid, name: name, description: description, priceCents: price, currency: currency,
                    category: category, available: changes.available, tenant: tenant, on: $0)
            }
        }
        guard let item else { throw RestaurantError.menuItemNotFound }
        return item.menuItem
    }

    /// Runs a write of a menu item's name: the unique index on live names
    /// (`RestaurantSchema` migration 2) refusing it is `menuItemExists`.
    /// The database decides, not a look-up first, so of two concurrent
    /// creates of one name exactly one succeeds.
    private static func uniqueName<T>(_ write: () throws -> T) throws -> T {
        do {
            return try write()
        } catch let error as PostgresError where error.isUniqueViolation && error.constraint == MenuStore.uniqueName {
            throw RestaurantError.menuItemExists
        }
    }

    package func deleteMenuItem(_ context: CallContext, id: String) throws {
        try context.require(.manager)
        guard let uuid = UUID(uuidString: id) else { throw RestaurantError.menuItemNotFound }
        let tenant = context.tenant.value
        let deleted = try pool.transaction(tenant: tenant) { try MenuStore.delete(id: uuid, tenant: tenant, on: $0) }
        // A second delete finds nothing to delete, like any unknown id.
        guard deleted else { throw RestaurantError.menuItemNotFound }
    }

    package func prices(_ context: CallContext, itemIDs: [String]) throws -> [MenuItem] {
        try context.require(.cashier)
        // Ids that are not UUIDs cannot exist, so they are dropped like unknown ones.
        var seen = Set<UUID>()
        let ids = itemIDs.compactMap { UUID(uuidString: $0) }.filter { seen.insert($0).inserted }
        guard !ids.isEmpty else { return [] }
        let tenant = context.tenant.value
        return try pool.autocommit(tenant: tenant) {
            try MenuStore.find(ids: ids, tenant: tenant, on: $0).map(\.menuItem)
        }
    }
}
