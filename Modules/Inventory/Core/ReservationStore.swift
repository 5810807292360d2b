import Foundation
import InventoryAPI
import Postgres

/// The SQL of `inventory.reservations`. Every method runs on a connection
/// inside a transaction the service opened, scoped to `tenant` (and filters
/// by it as well).
enum ReservationStore {
    /// The reservation `key`; `lock`: held `FOR UPDATE` until the transaction ends.
    static func find(key: String, tenant: String, lock: Bool, on db: PostgresConnection) throws -> ReservationRecord? {
        let locking: StaticString = lock ? "FOR UPDATE" : ""
        return try db.query(
            """
            SELECT \(sql: ReservationRecord.columns) FROM inventory.reservations
            WHERE tenant_id = \(tenant) AND key = \(key) \(sql: locking)
            """
        ).first.map(ReservationRecord.init(row:))
    }

    /// Creates the reservation `key` with `lines` and holds the stock of
    /// `held` (the tracked lines, whose rows the caller has locked), in one
    /// round trip: both, or neither when the key is taken (`createdAt` nil).
    /// `holds` counts the rows held; the stock condition repeats the caller's
    /// check as a second guard, so fewer than `held` means some ran short.
    /// `committing`: the transaction's last statement, sent with its `COMMIT`
    /// (`queryAndCommit`).
    static func create(
        key: String, lines: [ReservationRecord.Line], holding held: [ItemQuantity], tenant: String,
        committing: Bool, on db: PostgresConnection
    ) throws -> (createdAt: Date?, holds: Int) {
        let statement: PostgresQuery =
            """
            WITH created AS (
                INSERT INTO inventory.reservations (tenant_id, key, status, lines)
                VALUES (\(tenant), \(key), 'held', \(try linesJSON(lines))::jsonb)
                ON CONFLICT (tenant_id, key) DO NOTHING
                RETURNING created_at
            ), holds AS (
                UPDATE inventory.stock AS s SET reserved = s.reserved + c.quantity, updated_at = now()
                FROM unnest(\(PostgresArray(held.map(\.id))),
                            \(PostgresArray(held.map(\.quantity)))::int[])
                     AS c(menu_item_id, quantity)
                WHERE EXISTS (SELECT 1 FROM created)
                  AND s.tenant_id = \(tenant) AND s.menu_item_id = c.menu_item_id
                  AND s.on_hand - s.reserved >= c.quantity
                RETURNING s.menu_item_id
            )
            SELECT (SELECT created_at FROM created) AS created_at, (SELECT count(*) FROM holds) AS holds
            """
        let outcome = try (committing ? db.queryAndCommit(statement) : db.query(statement)).first!
        return (try outcome.optionalDate("created_at"), try outcome.int("holds"))
    }

    /// The sale of a held reservation in one statement: held → committed,
    /// its held units off the shelf and out of the holds (stock rows locked
    /// in id order first, as `StockStore.lock` does), one ledger row per
    /// item as `StockStore.apply` writes them; the reservation read back.
    /// nil, and nothing changed, when no reservation under `key` is held.
    /// `committing`: the transaction's last statement, sent with its `COMMIT`
    /// (`queryAndCommit`).
    static func sell(key: String, userID: String?, tenant: String, committing: Bool, on db: PostgresConnection)
        throws -> ReservationRecord?
    {
        let statement: PostgresQuery =
            """
            WITH sold AS (
                UPDATE inventory.reservations SET status = 'committed', updated_at = now()
                WHERE tenant_id = \(tenant) AND key = \(key) AND status = 'held'
                RETURNING key, status, lines, created_at
            ), held AS (
                SELECT x.menu_item_id, x.quantity
                FROM sold, jsonb_to_recordset(sold.lines) AS x(menu_item_id uuid, quantity int, held boolean)
                WHERE x.held
            ), locked AS (
                SELECT s.menu_item_id FROM inventory.stock AS s
                WHERE s.tenant_id = \(tenant) AND s.menu_item_id IN (SELECT menu_item_id FROM held)
                ORDER BY s.menu_item_id FOR UPDATE
            ), moved AS (
                UPDATE inventory.stock AS s
                SET on_hand = s.on_hand - held.quantity, reserved = s.reserved - held.quantity, updated_at = now()
                FROM held JOIN locked USING (menu_item_id)
                WHERE s.tenant_id = \(tenant) AND s.menu_item_id = held.menu_item_id
                RETURNING s.menu_item_id, held.quantity
            ), ledger AS (
                INSERT INTO inventory.stock_movements
                    (tenant_id, menu_item_id, on_hand_delta, reserved_delta, reason, reservation_key, user_id)
                SELECT \(tenant)::text, menu_item_id, -quantity, -quantity, 'sale', \(key)::text, \(userID)::text
                FROM moved
            )
            SELECT key, status, lines::text AS lines, created_at FROM sold
            """
        let rows = try committing ? db.queryAndCommit(statement) : db.query(statement)
        return try rows.first.map(ReservationRecord.init(row:))
    }

    /// Sets the status of a reservation the caller has locked.
    static func setStatus(_ status: Reservation.Status, key: String, tenant: String, on db: PostgresConnection)
        throws
    {
        try db.execute(
            """
            UPDATE inventory.reservations SET status = \(status.rawValue), updated_at = now()
            WHERE tenant_id = \(tenant) AND key = \(key)
            """)
    }

    private static let encoder = JSONEncoder()

    private static func linesJSON(_ lines: [ReservationRecord.Line]) throws -> String {
        String(decoding: try encoder.encode(lines), as: UTF8.self)
    }
}
