import Foundation
import InventoryAPI
import Platform
import Postgres

/// Reservations: stock held for a checkout, then sold (commit) or put back
/// (release). Every step is idempotent by key so a saga can repeat it after a crash.
extension InventoryService {
    /// Reservations are steps of the checkout saga, whose next step (the
    /// charge, the order's settlement) commits durably before anyone is
    /// answered and flushes these with it; a crash before that loses the step
    /// whole, which the saga's recovery handles (a lost hold never held
    /// stock; a lost commit or release is repeated by key). Not waiting for
    /// the disk here keeps the hot item's stock row locked for microseconds,
    /// not for a flush.
    static let reservationDurability = CommitDurability.flushedByLaterCommit

    package func shortages(_ context: CallContext, lines: [StockLine]) throws -> [String] {
        try context.require(.cashier)
        let items = try InventoryInput.lines(lines)
        let tenant = context.tenant.value
        let stock: [String: Int] = try pool.autocommit(tenant: tenant) { db in
            var sellable: [String: Int] = [:]
            for level in try StockStore.find(ids: items.map(\.id), tenant: tenant, on: db) {
                sellable[level.menuItemID] = level.sellable
            }
            return sellable
        }
        // Untracked items (no row) never run short.
        return items.filter { item in stock[item.itemID].map { $0 < item.quantity } ?? false }.map(\.itemID)
    }

    package func reserve(_ context: CallContext, _ request: ReserveStock) throws -> Reservation {
        try context.require(.cashier)
        let key = try InventoryInput.key(request.key)
        let items = try InventoryInput.lines(request.lines)
        let tenant = context.tenant.value
        let reserved = try pool.transaction(tenant: tenant, durability: InventoryService.reservationDurability) {
            db -> Reservation? in
            // Stock rows first (in id order, see `StockStore.lock`), then the
            // key: every reserve takes its locks in that order, so concurrent
            // ones queue instead of deadlocking.
            let (stock, keyUsed) = try StockStore.lockForReserving(items.map(\.id), key: key, tenant: tenant, on: db)
            let short = items.filter { item in stock[item.itemID].map { $0.sellable < item.quantity } ?? false }
            if keyUsed || !short.isEmpty {
                // A repeat of a request whose stock is already held may look short
                // now: the key decides first (read afresh, in case it was committed
                // while this waited for the stock locks).
                if let existing = try ReservationStore.find(key: key, tenant: tenant, lock: false, on: db) {
                    return try Self.replay(existing, asking: items)
                }
                if !short.isEmpty { throw InventoryError.outOfStock(short.map(\.itemID)) }
            }
            let held = items.filter { stock[$0.itemID] != nil }
            let lines = items.map {
                ReservationRecord.Line(menuItemID: $0.itemID, quantity: $0.quantity, held: stock[$0.itemID] != nil)
            }
            let levels = held.map { item in
                let before = stock[item.itemID]!
                var after = before
                after.reserved += item.quantity
                return (before: before, after: after)
            }
            // The common sale has no low-stock news to publish: then the
            // reservation and its holds are the transaction's last statement
            // and travel with its COMMIT, one round trip fewer while the hot
            // item's row is locked. With the rows locked since they were
            // found sellable, every hold goes through: `holds` falls short
            // only when the key was taken, and then nothing was written.
            let committing = levels.allSatisfy { !StockStore.isNewlyLow(before: $0.before, after: $0.after) }
            let created = try ReservationStore.create(
                key: key, lines: lines, holding: held, tenant: tenant, committing: committing, on: db)
            guard let createdAt = created.createdAt else {
                // The key was used before: a repeat of the same request gets the
                // first answer, whatever became of it since (read below once committed).
                if committing { return nil }
                return try Self.replay(
                    try ReservationStore.find(key: key, tenant: tenant, lock: false, on: db)!, asking: items)
            }
            // Throwing rolls the reservation row back too: nothing stays held.
            guard created.holds == held.count else { throw InventoryError.outOfStock(held.map(\.itemID)) }
            for level in levels {
                try StockStore.publishIfNewlyLow(before: level.before, after: level.after, tenant: tenant, on: db)
            }
            return Reservation(
                key: key, status: .held,
                lines: items.map { StockLine(menuItemID: $0.itemID, quantity: $0.quantity) }, createdAt: createdAt)
        }
        if let reserved { return reserved }
        let existing = try pool.autocommit(tenant: tenant) {
            try ReservationStore.find(key: key, tenant: tenant, lock: false, on: $0)
        }
        guard let existing else { throw InventoryError.reservationNotFound }
        return try Self.replay(existing, asking: items)
    }

    package func commit(_ context: CallContext, key: String) throws -> Reservation {
        try context.require(.cashier)
        let key = try InventoryInput.key(key)
        let tenant = context.tenant.value
        // The hot path, a held reservation: sold in one statement sent with COMMIT.
        let sold = try pool.transaction(tenant: tenant, durability: InventoryService.reservationDurability) { db in
            try ReservationStore.sell(key: key, userID: context.userID, tenant: tenant, committing: true, on: db)
        }
        if let sold { return sold.reservation }
        return try pool.transaction(tenant: tenant, durability: InventoryService.reservationDurability) { db in
            guard let record = try ReservationStore.find(key: key, tenant: tenant, lock: true, on: db) else {
                throw InventoryError.reservationNotFound
            }
            switch record.status {
            case .committed: return record.reservation
            case .released: throw InventoryError.reservationReleased
            case .held:
                // Made by its own reserve after the sale above looked; locked
                // now, so the same sale goes through this time.
                guard
                    let sold = try ReservationStore.sell(
                        key: key, userID: context.userID, tenant: tenant, committing: true, on: db)
                else { throw InventoryError.reservationNotFound }
                return sold.reservation
            }
        }
    }

    package func release(_ context: CallContext, key: String) throws -> Reservation {
        try context.require(.cashier)
        let key = try InventoryInput.key(key)
        let tenant = context.tenant.value
        return try pool.transaction(tenant: tenant, durability: InventoryService.reservationDurability) { db in
            guard var record = try ReservationStore.find(key: key, tenant: tenant, lock: true, on: db) else {
                throw InventoryError.reservationNotFound
            }
            let movements: [StockStore.Movement]
            let reason: String
            switch record.status {
            case .released:
                return record.reservation
            case .held:
                // Never sold: only the hold goes.
                movements = try record.heldItems().map {
                    StockStore.Movement(id: $0.id, onHandDelta: 0, reservedDelta: -$0.quantity)
                }
                reason = "release"
            case .committed:
                // A cancelled sale: the units come back on the shelf.
                movements = try record.heldItems().map {
                    StockStore.Movement(id: $0.id, onHandDelta: $0.quantity, reservedDelta: 0)
                }
                reason = "return"
            }
            if movements.count > 1 {
                _ = try StockStore.lock(movements.map(\.id), tenant: tenant, on: db)
            }
            try StockStore.apply(
                movements, reason: reason, reservationKey: key, userID: context.userID, tenant: tenant, on: db)
            try ReservationStore.setStatus(.released, key: key, tenant: tenant, on: db)
            record.status = .released
            return record.reservation
        }
    }

    /// The answer to a key used before: the same request gets the first reservation as it now is.
    private static func replay(_ existing: ReservationRecord, asking items: [ItemQuantity]) throws -> Reservation {
        guard existing.hasSameLines(as: items) else { throw InventoryError.keyReused }
        return existing.reservation
    }
}
