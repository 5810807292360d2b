import Platform

/// Published when an item's sellable quantity falls to or below its threshold.
public struct StockLow: DomainEvent, Equatable {
    public static let eventType = "StockLow"

    public var menuItemID: String
    public var quantity: Int
    public var threshold: Int

    public init(menuItemID: String, quantity: Int, threshold: Int) {
        self.menuItemID = menuItemID
        self.quantity = quantity
        self.threshold = threshold
    }

    enum CodingKeys: String, CodingKey {
        case quantity, threshold
        case menuItemID = "menu_item_id"
    }
}
