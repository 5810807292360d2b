import Postgres
import RestaurantAPI

/// Reading `restaurant.menu_items` rows into `MenuItem`.
enum MenuItemRow {
    /// The select list every menu query uses, so `menuItem(_:)` always finds its columns.
    static let columns: StaticString =
        "id::text AS id, name, description, price_cents, currency, category, available, created_at, updated_at"

    static func menuItem(_ row: PostgresRow) throws -> MenuItem {
        MenuItem(
            id: try row.string("id"), name: try row.string("name"), description: try row.string("description"),
            priceCents: try row.int64("price_cents"), currency: try row.string("currency"),
            category: try row.optionalString("category"), available: try row.bool("available"),
            createdAt: try row.date("created_at"), updatedAt: try row.date("updated_at"))
    }
}
