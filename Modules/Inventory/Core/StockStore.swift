import Events
import Foundation
import InventoryAPI
import Postgres

/// The SQL of `inventory.stock` and its audit trail, `inventory.stock_movements`.
/// Every method runs on a connection inside a transaction the service opened,
/// scoped to `tenant` (and filters by it as well).
enum StockStore {
    static let schema = "inventory"

    /// A change to one item's stock, recorded in the ledger by `apply`.
    struct Movement {
        var id: UUID
        var onHandDelta: Int
        var reservedDelta: Int
    }

    /// Every tracked item, by id.
    static func all(tenant: String, on db: PostgresConnection) throws -> [StockRecord] {
        try db.query(
            """
            SELECT \(sql: StockRecord.columns) FROM inventory.stock
            WHERE tenant_id = \(tenant) ORDER BY menu_item_id
            """
        ).map(StockRecord.init(row:))
    }

    /// The stock of one item; nil when it is untracked.
    static func find(id: UUID, tenant: String, on db: PostgresConnection) throws -> StockRecord? {
        try db.query(
            """
            SELECT \(sql: StockRecord.columns) FROM inventory.stock
            WHERE tenant_id = \(tenant) AND menu_item_id = \(id)
            """
        ).first.map(StockRecord.init(row:))
    }

    /// The tracked rows among `ids`, unlocked.
    static func find(ids: [UUID], tenant: String, on db: PostgresConnection) throws -> [StockRecord] {
        try db.query(
            """
            SELECT \(sql: StockRecord.columns) FROM inventory.stock
            WHERE tenant_id = \(tenant)
              AND menu_item_id = ANY(\(PostgresArray(ids)))
            """
        ).map(StockRecord.init(row:))
    }

    /// The tracked rows among `ids`, locked until the transaction ends, keyed
    /// by canonical id. Locked in id order — ORDER BY runs before FOR UPDATE
    /// locks — the same order every multi-item change uses, so two of them can
    /// never wait on each other in a cycle.
    static func lock(_ ids: [UUID], tenant: String, on db: PostgresConnection) throws -> [String: StockRecord] {
        guard !ids.isEmpty else { return [:] }
        var rows: [String: StockRecord] = [:]
        for row in try db.query(
            """
            SELECT \(sql: StockRecord.columns) FROM inventory.stock
            WHERE tenant_id = \(tenant) AND menu_item_id = ANY(\(PostgresArray(ids)))
            ORDER BY menu_item_id FOR UPDATE
            """)
        {
            let stock = try StockRecord(row: row)
            rows[stock.menuItemID] = stock
        }
        return rows
    }

    /// As `lock`, for a reserve under `key`: the same round trip asks whether
    /// the key is already used, so a repeat never waits on the key's row while
    /// holding stock that a commit of that key is waiting for. `keyUsed` is
    /// known only when one of the items is tracked (it is false otherwise).
    static func lockForReserving(_ ids: [UUID], key: String, tenant: String, on db: PostgresConnection) throws
        -> (stock: [String: StockRecord], keyUsed: Bool)
    {
        var stock: [String: StockRecord] = [:]
        var keyUsed = false
        for row in try db.query(
            """
            SELECT \(sql: StockRecord.columns),
                   EXISTS (SELECT 1 FROM inventory.reservations r
                           WHERE r.tenant_id = \(tenant) AND r.key = \(key)) AS key_used
            FROM inventory.stock
            WHERE tenant_id = \(tenant)
              AND menu_item_id = ANY(\(PostgresArray(ids)))
            ORDER BY menu_item_id FOR UPDATE
            """)
        {
            let record = try StockRecord(row: row)
            stock[record.menuItemID] = record
            keyUsed = try row.bool("key_used")
        }
        return (stock, keyUsed)
    }

    /// The row of one item, locked, created empty (0 on hand) first if the
    /// item was untracked; `created` says which. A caller that then throws
    /// rolls the creation back with everything else.
    static func lockOrCreate(_ id: UUID, tenant: String, on db: PostgresConnection) throws -> (
        row: StockRecord, created: Bool
    ) {
        let created = try db.execute(
            """
            INSERT INTO inventory.stock (tenant_id, menu_item_id, on_hand, reserved)
            VALUES (\(tenant), \(id), 0, 0)
            ON CONFLICT (tenant_id, menu_item_id) DO NOTHING
            """)
        let row = try db.query(
            """
            SELECT \(sql: StockRecord.columns) FROM inventory.stock
            WHERE tenant_id = \(tenant) AND menu_item_id = \(id) FOR UPDATE
            """
        ).first!
        return (try StockRecord(row: row), created == 1)
    }

    /// Sets the threshold when one is given, and reads the row back as it now is.
    static func updateThreshold(_ id: UUID, _ threshold: Int?, tenant: String, on db: PostgresConnection) throws
        -> StockRecord
    {
        try StockRecord(
            row: db.query(
                """
                UPDATE inventory.stock
                SET low_stock_threshold = coalesce(\(threshold)::integer, low_stock_threshold)
                WHERE tenant_id = \(tenant) AND menu_item_id = \(id)
                RETURNING \(sql: StockRecord.columns)
                """
            ).first!)
    }

    /// The ledger: applies `movements` to rows the caller has already locked
    /// (`lock`) and records one `inventory.stock_movements` row per item
    /// changed, in one statement, so no change to stock goes unrecorded.
    /// The table's checks refuse anything that would oversell. `withCommit`:
    /// the transaction's last statement, sent with its `COMMIT` in one round
    /// trip (`executeAtCommit`), its refusal thrown by the transaction.
    static func apply(
        _ movements: [Movement], reason: String, reservationKey: String?, userID: String?, tenant: String,
        withCommit: Bool = false, on db: PostgresConnection
    ) throws {
        guard !movements.isEmpty else { return }
        let change: PostgresQuery =
            """
            WITH moved AS (
                UPDATE inventory.stock AS s
                SET on_hand = s.on_hand + c.on_hand_delta, reserved = s.reserved + c.reserved_delta,
                    updated_at = now()
                FROM unnest(\(PostgresArray(movements.map(\.id))),
                            \(PostgresArray(movements.map(\.onHandDelta)))::int[],
                            \(PostgresArray(movements.map(\.reservedDelta)))::int[])
                     AS c(menu_item_id, on_hand_delta, reserved_delta)
                WHERE s.tenant_id = \(tenant) AND s.menu_item_id = c.menu_item_id
                RETURNING s.menu_item_id, c.on_hand_delta, c.reserved_delta
            )
            INSERT INTO inventory.stock_movements
                (tenant_id, menu_item_id, on_hand_delta, reserved_delta, reason, reservation_key, user_id)
            SELECT \(tenant)::text, menu_item_id, on_hand_delta, reserved_delta, \(reason)::text,
                   \(reservationKey)::text, \(userID)::text
            FROM moved
            """
        if withCommit { try db.executeAtCommit(change) } else { try db.execute(change) }
    }

    /// Whether `after` is at or below its threshold and `before` was not (see `publishIfNewlyLow`).
    static func isNewlyLow(before: StockRecord?, after: StockRecord) -> Bool {
        after.isLow && (before.map { !$0.isLow } ?? true)
    }

    /// Publishes `StockLow` when `after` is at or below its threshold and
    /// `before` was not (nil: untracked, which never runs out). Only the
    /// crossing is news; every sale below the threshold is not.
    static func publishIfNewlyLow(before: StockRecord?, after: StockRecord, tenant: String, on db: PostgresConnection)
        throws
    {
        guard isNewlyLow(before: before, after: after) else { return }
        try Outbox.append(
            StockLow(menuItemID: after.menuItemID, quantity: after.sellable, threshold: after.lowStockThreshold),
            tenant: tenant, schema: schema, on: db)
    }
}
