import Facade
import InventoryAPI
import Platform

extension InventoryService {
    /// This service's handlers bound to the Inventory operations: what
    /// `LocalTransport` calls in-process and inventory-service serves over HTTP.
    public func operations() -> OperationTable {
        let table = OperationTable(module: "inventory", decodeError: InventoryOperations.decodeError)
        let samples = InventorySamples.self
        let item = MenuItemReference(menuItemID: samples.item)
        let key = ReservationKey(key: samples.reservation.key)
        table.bind(InventoryOperations.stockLevels, sample: (Empty(), [samples.level])) { [self] context, _ in
            try stockLevels(context)
        }
        table.bind(InventoryOperations.stockLevel, sample: (item, samples.level)) { [self] in
            try stockLevel($0, menuItemID: $1.menuItemID)
        }
        table.bind(
            InventoryOperations.setStock,
            sample: (SetStockCommand(menuItemID: samples.item, stock: SetStock(quantity: 10, lowStockThreshold: 3)), samples.level)
        ) { [self] in try setStock($0, menuItemID: $1.menuItemID, $1.stock) }
        table.bind(
            InventoryOperations.adjustStock,
            sample: (
                AdjustStockCommand(menuItemID: samples.item, adjustment: StockAdjustment(delta: 5, reason: "delivery")),
                samples.level
            )
        ) { [self] in try adjustStock($0, menuItemID: $1.menuItemID, $1.adjustment) }
        table.bind(InventoryOperations.shortages, sample: (StockCheck(lines: [samples.line]), [samples.item])) { [self] in
            try shortages($0, lines: $1.lines)
        }
        table.bind(
            InventoryOperations.reserve,
            sample: (ReserveStock(key: samples.reservation.key, lines: [samples.line]), samples.reservation)
        ) { [self] in try reserve($0, $1) }
        table.bind(InventoryOperations.commit, sample: (key, samples.reservation)) { [self] in
            try commit($0, key: $1.key)
        }
        table.bind(InventoryOperations.release, sample: (key, samples.reservation)) { [self] in
            try release($0, key: $1.key)
        }
        return table
    }
}
