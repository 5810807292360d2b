import Facade
import InventoryAPI
import Platform

extension InventoryService {
    /// This service's handlers bound to the Inventory operations: what
    /// `LocalTransport` calls in-process and inventory-service serves over HTTP.
    package func operations() -> OperationTable {
        OperationTable(module: "inventory", decodeError: InventoryOperations.decodeError)
            .bind(InventoryOperations.stockLevels) { [self] context, _ in try stockLevels(context) }
            .bind(InventoryOperations.stockLevel) { [self] in try stockLevel($0, menuItemID: $1.menuItemID) }
            .bind(InventoryOperations.setStock) { [self] in try setStock($0, menuItemID: $1.menuItemID, $1.stock) }
            .bind(InventoryOperations.adjustStock) { [self] in
                try adjustStock($0, menuItemID: $1.menuItemID, $1.adjustment)
            }
            .bind(InventoryOperations.shortages) { [self] in try shortages($0, lines: $1.lines) }
            .bind(InventoryOperations.reserve) { [self] in try reserve($0, $1) }
            .bind(InventoryOperations.commit) { [self] in try commit($0, key: $1.key) }
            .bind(InventoryOperations.release) { [self] in try release($0, key: $1.key) }
    }
}
