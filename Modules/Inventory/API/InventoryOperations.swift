import Facade
import Platform

/// The Inventory facade as operations: declared once, served in-process by
/// `LocalTransport` and over HTTP by inventory-service.
public enum InventoryOperations {
    public static let stockLevels = Operation<Empty, [StockLevel]>("inventory.stock_levels", readOnly: true)
    public static let stockLevel = Operation<MenuItemReference, StockLevel?>("inventory.stock_level", readOnly: true)
    public static let setStock = Operation<SetStockCommand, StockLevel>("inventory.set_stock")
    public static let adjustStock = Operation<AdjustStockCommand, StockLevel>("inventory.adjust_stock")
    public static let shortages = Operation<StockCheck, [String]>("inventory.shortages", readOnly: true)
    public static let reserve = Operation<ReserveStock, Reservation>("inventory.reserve")
    public static let commit = Operation<ReservationKey, Reservation>("inventory.commit")
    public static let release = Operation<ReservationKey, Reservation>("inventory.release")

    /// Every operation above: the table Inventory serves must bind exactly these.
    public static let all: [any DeclaredOperation] = [
        stockLevels, stockLevel, setStock, adjustStock, shortages, reserve, commit, release,
    ]

    /// Reads a problem received over the wire back into `InventoryError`.
    public static let decodeError: @Sendable (Problem) -> (any Error)? = { InventoryError(problem: $0) }

    /// Inventory as any process reaches it: these operations, these errors.
    public static let interface = ModuleInterface(name: "inventory", operations: all, decodeError: decodeError)
}

public struct MenuItemReference: Codable, Sendable, Equatable {
    public var menuItemID: String
    public init(menuItemID: String) { self.menuItemID = menuItemID }
    enum CodingKeys: String, CodingKey { case menuItemID = "menu_item_id" }
}

public struct SetStockCommand: Codable, Sendable {
    public var menuItemID: String
    public var stock: SetStock
    public init(menuItemID: String, stock: SetStock) {
        self.menuItemID = menuItemID
        self.stock = stock
    }
    enum CodingKeys: String, CodingKey {
        case stock
        case menuItemID = "menu_item_id"
    }
}

public struct AdjustStockCommand: Codable, Sendable {
    public var menuItemID: String
    public var adjustment: StockAdjustment
    public init(menuItemID: String, adjustment: StockAdjustment) {
        self.menuItemID = menuItemID
        self.adjustment = adjustment
    }
    enum CodingKeys: String, CodingKey {
        case adjustment
        case menuItemID = "menu_item_id"
    }
}

public struct StockCheck: Codable, Sendable {
    public var lines: [StockLine]
    public init(lines: [StockLine]) { self.lines = lines }
}

public struct ReservationKey: Codable, Sendable, Equatable {
    public var key: String
    public init(key: String) { self.key = key }
}
