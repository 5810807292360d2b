import Foundation
import Postgres

/// Changes to stock that leave an audit trail: each applies deltas to
/// `inventory.stock` and records one `inventory.stock_movements` row per
/// item changed, in one statement.
enum StockLedger {
    struct Change {
        var id: UUID
        var onHandDelta: Int
        var reservedDelta: Int
    }

    /// Applies `changes` to rows the caller has already locked (`StockRow.lock`).
    /// The table's checks refuse anything that would oversell.
    static func apply(
        _ changes: [Change], reason: String, reservationKey: String?, userID: String?, tenant: String,
        on db: PostgresConnection
    ) throws {
        guard !changes.isEmpty else { return }
        try db.execute(
            """
            WITH moved AS (
                UPDATE inventory.stock AS s
                SET on_hand = s.on_hand + c.on_hand_delta, reserved = s.reserved + c.reserved_delta,
                    updated_at = now()
                FROM unnest(\(PostgresArray(changes.map(\.id))),
                            \(PostgresArray(changes.map(\.onHandDelta)))::int[],
                            \(PostgresArray(changes.map(\.reservedDelta)))::int[])
                     AS c(menu_item_id, on_hand_delta, reserved_delta)
                WHERE s.tenant_id = \(tenant) AND s.menu_item_id = c.menu_item_id
                RETURNING s.menu_item_id, c.on_hand_delta, c.reserved_delta
            )
            INSERT INTO inventory.stock_movements
                (tenant_id, menu_item_id, on_hand_delta, reserved_delta, reason, reservation_key, user_id)
            SELECT \(tenant)::text, menu_item_id, on_hand_delta, reserved_delta, \(reason)::text,
                   \(reservationKey)::text, \(userID)::text
            FROM moved
            """)
    }
}
