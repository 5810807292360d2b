import Foundation
import InventoryAPI
import Platform
import Postgres

/// The in-process implementation of `InventoryFacade`, over the `inventory` schema.
///
/// Stock never goes below zero, whatever the concurrency: every change locks
/// the stock rows it reads (in id order), decides, and writes in the same
/// transaction, and the table's checks (`on_hand >= 0`, `0 <= reserved <=
/// on_hand`) refuse anything that slipped through. Every query is scoped to
/// the caller's tenant twice: `app.tenant` for row-level security and an
/// explicit `tenant_id` filter.
package final class InventoryService: InventoryFacade {
    let pool: PostgresPool

    package init(pool: PostgresPool) {
        self.pool = pool
    }

    package func stockLevels(_ context: CallContext) throws -> [StockLevel] {
        try context.require(.cashier)
        let tenant = context.tenant.value
        return try pool.autocommit(tenant: tenant) { try StockStore.all(tenant: tenant, on: $0).map(\.level) }
    }

    package func stockLevel(_ context: CallContext, menuItemID: String) throws -> StockLevel? {
        try context.require(.cashier)
        // Not a UUID: no item can have that id, so it is untracked like any unknown one.
        guard let id = UUID(uuidString: menuItemID) else { return nil }
        let tenant = context.tenant.value
        return try pool.autocommit(tenant: tenant) { try StockStore.find(id: id, tenant: tenant, on: $0)?.level }
    }

    package func setStock(_ context: CallContext, menuItemID: String, _ request: SetStock) throws -> StockLevel {
        try context.require(.manager)
        let id = try InventoryInput.itemID(menuItemID)
        let quantity = try InventoryInput.quantity(request.quantity, field: "quantity")
        let threshold = try request.lowStockThreshold.map {
            try InventoryInput.quantity($0, field: "low_stock_threshold")
        }
        let tenant = context.tenant.value
        return try pool.transaction(tenant: tenant) { db in
            let (before, created) = try StockStore.lockOrCreate(id, tenant: tenant, on: db)
            // What checkouts already hold cannot be counted away.
            guard quantity >= before.reserved else { throw InventoryError.insufficientStock }
            try StockStore.apply(
                [StockStore.Movement(id: id, onHandDelta: quantity - before.onHand, reservedDelta: 0)],
                reason: "set", reservationKey: nil, userID: context.userID, tenant: tenant, on: db)
            let after = try StockStore.updateThreshold(id, threshold, tenant: tenant, on: db)
            try StockStore.publishIfNewlyLow(before: created ? nil : before, after: after, tenant: tenant, on: db)
            return after.level
        }
    }

    package func adjustStock(_ context: CallContext, menuItemID: String, _ adjustment: StockAdjustment) throws
        -> StockLevel
    {
        try context.require(.manager)
        let id = try InventoryInput.itemID(menuItemID)
        let delta = try InventoryInput.delta(adjustment.delta)
        let reason = try InventoryInput.reason(adjustment.reason)
        let tenant = context.tenant.value
        return try pool.transaction(tenant: tenant) { db in
            // A delivery of an untracked item starts tracking it from zero.
            let (before, created) = try StockStore.lockOrCreate(id, tenant: tenant, on: db)
            let onHand = before.onHand + delta
            guard onHand >= before.reserved else { throw InventoryError.insufficientStock }
            guard onHand <= InventoryInput.stockRange.upperBound else {
                throw InventoryError.invalidInput(field: "delta", reason: "stock would exceed 1000000")
            }
            try StockStore.apply(
                [StockStore.Movement(id: id, onHandDelta: delta, reservedDelta: 0)],
                reason: reason, reservationKey: nil, userID: context.userID, tenant: tenant, on: db)
            let after = try StockStore.updateThreshold(id, nil, tenant: tenant, on: db)
            try StockStore.publishIfNewlyLow(before: created ? nil : before, after: after, tenant: tenant, on: db)
            return after.level
        }
    }
}
