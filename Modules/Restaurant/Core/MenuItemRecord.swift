import Postgres
import RestaurantAPI

/// A `restaurant.menu_items` row as the API shows it.
struct MenuItemRecord {
    var menuItem: MenuItem

    /// The select list every statement returning a menu item uses.
    static let columns: StaticString =
        "id::text AS id, name, description, price_cents, currency, category, available, created_at, updated_at"

    init(row: PostgresRow) throws {
        menuItem = MenuItem(
            id: try row.string("id"), name: try row.string("name"), description: try row.string("description"),
            priceCents: try row.int64("price_cents"), currency: try row.string("currency"),
            category: try row.optionalString("category"), available: try row.bool("available"),
            createdAt: try row.date("created_at"), updatedAt: try row.date("updated_at"))
    }
}
