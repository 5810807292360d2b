import Facade
import Platform

/// `InventoryFacade` over a `Transport`: the same calls whether Inventory
/// runs in this process or in inventory-service.
public struct InventoryClient: InventoryFacade {
    private let transport: any Transport

    public init(transport: any Transport) { self.transport = transport }

    public func stockLevels(_ context: CallContext) throws -> [StockLevel] {
        try transport.call(InventoryOperations.stockLevels, context, Empty())
    }

    public func stockLevel(_ context: CallContext, menuItemID: String) throws -> StockLevel? {
        try transport.call(InventoryOperations.stockLevel, context, MenuItemReference(menuItemID: menuItemID))
    }

    public func setStock(_ context: CallContext, menuItemID: String, _ request: SetStock) throws -> StockLevel {
        try transport.call(InventoryOperations.setStock, context, SetStockCommand(menuItemID: menuItemID, stock: request))
    }

    public func adjustStock(_ context: CallContext, menuItemID: String, _ adjustment: StockAdjustment) throws -> StockLevel {
        try transport.call(
            InventoryOperations.adjustStock, context, AdjustStockCommand(menuItemID: menuItemID, adjustment: adjustment))
    }

    public func shortages(_ context: CallContext, lines: [StockLine]) throws -> [String] {
        try transport.call(InventoryOperations.shortages, context, StockCheck(lines: lines))
    }

    public func reserve(_ context: CallContext, _ request: ReserveStock) throws -> Reservation {
        try transport.call(InventoryOperations.reserve, context, request)
    }

    public func commit(_ context: CallContext, key: String) throws -> Reservation {
        try transport.call(InventoryOperations.commit, context, ReservationKey(key: key))
    }

    public func release(_ context: CallContext, key: String) throws -> Reservation {
        try transport.call(InventoryOperations.release, context, ReservationKey(key: key))
    }
}
