import Foundation
import InventoryAPI
import Postgres

/// An `inventory.stock` row: what is on hand, what reservations hold, and
/// when to warn.
struct StockRow {
    var menuItemID: String
    var onHand: Int
    var reserved: Int
    var lowStockThreshold: Int
    var updatedAt: Date

    /// What can still be sold: on hand minus held.
    var sellable: Int { onHand - reserved }
    /// At or below the threshold: `StockLow` territory.
    var isLow: Bool { sellable <= lowStockThreshold }

    var level: StockLevel {
        StockLevel(
            menuItemID: menuItemID, quantity: sellable, reserved: reserved, lowStockThreshold: lowStockThreshold,
            updatedAt: updatedAt)
    }

    static let columns: StaticString =
        "menu_item_id::text AS menu_item_id, on_hand, reserved, low_stock_threshold, updated_at"

    init(row: PostgresRow) throws {
        menuItemID = try row.string("menu_item_id")
        onHand = try row.int("on_hand")
        reserved = try row.int("reserved")
        lowStockThreshold = try row.int("low_stock_threshold")
        updatedAt = try row.date("updated_at")
    }

    /// The tracked rows among `ids`, locked until the transaction ends, keyed
    /// by canonical id. Locked in id order — ORDER BY runs before FOR UPDATE
    /// locks — the same order every multi-item change uses, so two of them can
    /// never wait on each other in a cycle.
    static func lock(_ ids: [UUID], tenant: String, on db: PostgresConnection) throws -> [String: StockRow] {
        guard !ids.isEmpty else { return [:] }
        var rows: [String: StockRow] = [:]
        for row in try db.query(
            """
            SELECT \(sql: columns) FROM inventory.stock
            WHERE tenant_id = \(tenant) AND menu_item_id = ANY(\(PostgresArray(ids)))
            ORDER BY menu_item_id FOR UPDATE
            """)
        {
            let stock = try StockRow(row: row)
            rows[stock.menuItemID] = stock
        }
        return rows
    }

    /// The row of one item, locked, created empty (0 on hand) first if the
    /// item was untracked; `created` says which. A caller that then throws
    /// rolls the creation back with everything else.
    static func lockOrCreate(_ id: UUID, tenant: String, on db: PostgresConnection) throws -> (
        row: StockRow, created: Bool
    ) {
        let created = try db.execute(
            """
            INSERT INTO inventory.stock (tenant_id, menu_item_id, on_hand, reserved)
            VALUES (\(tenant), \(id), 0, 0)
            ON CONFLICT (tenant_id, menu_item_id) DO NOTHING
            """)
        let row = try db.query(
            """
            SELECT \(sql: columns) FROM inventory.stock
            WHERE tenant_id = \(tenant) AND menu_item_id = \(id) FOR UPDATE
            """
        ).first!
        return (try StockRow(row: row), created == 1)
    }
}
