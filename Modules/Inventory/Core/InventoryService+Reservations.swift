import Foundation
import InventoryAPI
import Platform
import Postgres

/// Reservations: stock held for a checkout, then sold (commit) or put back
/// (release). Every step is idempotent by key so a saga can repeat it after a crash.
extension InventoryService {
    public func shortages(_ context: CallContext, lines: [StockLine]) throws -> [String] {
        try context.require(.cashier)
        let items = try InventoryInput.lines(lines)
        let tenant = context.tenant.value
        let stock: [String: Int] = try pool.transaction(tenant: tenant) { db in
            var sellable: [String: Int] = [:]
            for row in try db.query(
                """
                SELECT \(sql: StockRow.columns) FROM inventory.stock
                WHERE tenant_id = \(tenant)
                  AND menu_item_id = ANY(\(PostgresArrayLiteral.uuids(items.map(\.id)))::uuid[])
                """)
            {
                let level = try StockRow(row: row)
                sellable[level.menuItemID] = level.sellable
            }
            return sellable
        }
        // Untracked items (no row) never run short.
        return items.filter { item in stock[item.itemID].map { $0 < item.quantity } ?? false }.map(\.itemID)
    }

    public func reserve(_ context: CallContext, _ request: ReserveStock) throws -> Reservation {
        try context.require(.cashier)
        let key = try InventoryInput.key(request.key)
        let items = try InventoryInput.lines(request.lines)
        let tenant = context.tenant.value
        return try pool.transaction(tenant: tenant) { db in
            // Stock rows first, then the key: every reserve takes its locks in
            // that order, so concurrent ones queue instead of deadlocking.
            let stock = try StockRow.lock(items.map(\.id), tenant: tenant, on: db)
            let lines = items.map {
                ReservationRecord.Line(menuItemID: $0.itemID, quantity: $0.quantity, held: stock[$0.itemID] != nil)
            }
            guard
                let created = try db.query(
                    """
                    INSERT INTO inventory.reservations (tenant_id, key, status, lines)
                    VALUES (\(tenant), \(key), 'held', \(try ReservationRecord.linesJSON(lines))::jsonb)
                    ON CONFLICT (tenant_id, key) DO NOTHING
                    RETURNING created_at
                    """
                ).first
            else {
                // The key was used before: a repeat of the same request gets the
                // first answer, whatever became of it since; anything else is a mistake.
                let existing = try ReservationRecord.find(key: key, tenant: tenant, forUpdate: false, on: db)!
                guard existing.hasSameLines(as: items) else { throw InventoryError.keyReused }
                return existing.reservation
            }
            let short = items.filter { item in stock[item.itemID].map { $0.sellable < item.quantity } ?? false }
            // Throwing rolls back the reservation row too: nothing is held.
            guard short.isEmpty else { throw InventoryError.outOfStock(short.map(\.itemID)) }
            let held = items.filter { stock[$0.itemID] != nil }
            if !held.isEmpty {
                // The rows are locked and were checked above; the condition is
                // a second guard, and a shortfall it finds is still out of stock.
                let updated = try db.execute(
                    """
                    UPDATE inventory.stock AS s SET reserved = s.reserved + c.quantity, updated_at = now()
                    FROM unnest(\(PostgresArrayLiteral.uuids(held.map(\.id)))::uuid[],
                                \(PostgresArrayLiteral.integers(held.map(\.quantity)))::int[])
                         AS c(menu_item_id, quantity)
                    WHERE s.tenant_id = \(tenant) AND s.menu_item_id = c.menu_item_id
                      AND s.on_hand - s.reserved >= c.quantity
                    """)
                guard updated == held.count else { throw InventoryError.outOfStock(held.map(\.itemID)) }
                for item in held {
                    let before = stock[item.itemID]!
                    var after = before
                    after.reserved += item.quantity
                    try Self.publishIfNewlyLow(before: before, after: after, tenant: tenant, on: db)
                }
            }
            return Reservation(
                key: key, status: .held,
                lines: items.map { StockLine(menuItemID: $0.itemID, quantity: $0.quantity) },
                createdAt: try created.date("created_at"))
        }
    }

    public func commit(_ context: CallContext, key: String) throws -> Reservation {
        try context.require(.cashier)
        let key = try InventoryInput.key(key)
        let tenant = context.tenant.value
        return try pool.transaction(tenant: tenant) { db in
            guard var record = try ReservationRecord.find(key: key, tenant: tenant, forUpdate: true, on: db) else {
                throw InventoryError.reservationNotFound
            }
            switch record.status {
            case .committed:
                return record.reservation
            case .released:
                throw InventoryError.reservationReleased
            case .held:
                // Sold: the held units leave the shelf and stop being held.
                let held = try record.heldItems()
                _ = try StockRow.lock(held.map(\.id), tenant: tenant, on: db)
                try StockLedger.apply(
                    held.map { StockLedger.Change(id: $0.id, onHandDelta: -$0.quantity, reservedDelta: -$0.quantity) },
                    reason: "sale", reservationKey: key, userID: context.userID, tenant: tenant, on: db)
                try Self.setStatus(.committed, key: key, tenant: tenant, on: db)
                record.status = .committed
                return record.reservation
            }
        }
    }

    public func release(_ context: CallContext, key: String) throws -> Reservation {
        try context.require(.cashier)
        let key = try InventoryInput.key(key)
        let tenant = context.tenant.value
        return try pool.transaction(tenant: tenant) { db in
            guard var record = try ReservationRecord.find(key: key, tenant: tenant, forUpdate: true, on: db) else {
                throw InventoryError.reservationNotFound
            }
            let changes: [StockLedger.Change]
            let reason: String
            switch record.status {
            case .released:
                return record.reservation
            case .held:
                // Never sold: only the hold goes.
                changes = try record.heldItems().map { StockLedger.Change(id: $0.id, onHandDelta: 0, reservedDelta: -$0.quantity) }
                reason = "release"
            case .committed:
                // A cancelled sale: the units come back on the shelf.
                changes = try record.heldItems().map { StockLedger.Change(id: $0.id, onHandDelta: $0.quantity, reservedDelta: 0) }
                reason = "return"
            }
            _ = try StockRow.lock(changes.map(\.id), tenant: tenant, on: db)
            try StockLedger.apply(
                changes, reason: reason, reservationKey: key, userID: context.userID, tenant: tenant, on: db)
            try Self.setStatus(.released, key: key, tenant: tenant, on: db)
            record.status = .released
            return record.reservation
        }
    }

    private static func setStatus(_ status: Reservation.Status, key: String, tenant: String, on db: PostgresConnection)
        throws
    {
        try db.execute(
            """
            UPDATE inventory.reservations SET status = \(status.rawValue), updated_at = now()
            WHERE tenant_id = \(tenant) AND key = \(key)
            """)
    }
}
