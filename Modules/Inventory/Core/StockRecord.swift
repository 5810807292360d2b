import Foundation
import InventoryAPI
import Postgres

/// An `inventory.stock` row: what is on hand, what reservations hold, and
/// when to warn.
struct StockRecord {
    var menuItemID: String
    var onHand: Int
    var reserved: Int
    var lowStockThreshold: Int
    var updatedAt: Date

    /// The select list every statement returning stock uses.
    static let columns: StaticString =
        "menu_item_id::text AS menu_item_id, on_hand, reserved, low_stock_threshold, updated_at"

    init(row: PostgresRow) throws {
        menuItemID = try row.string("menu_item_id")
        onHand = try row.int("on_hand")
        reserved = try row.int("reserved")
        lowStockThreshold = try row.int("low_stock_threshold")
        updatedAt = try row.date("updated_at")
    }

    var level: StockLevel {
        StockLevel(
            menuItemID: menuItemID, quantity: sellable, reserved: reserved, lowStockThreshold: lowStockThreshold,
            updatedAt: updatedAt)
    }

    /// What can still be sold: on hand minus held.
    var sellable: Int { onHand - reserved }
    /// At or below the threshold: `StockLow` territory.
    var isLow: Bool { sellable <= lowStockThreshold }
}
