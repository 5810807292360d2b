import Foundation

/// How many of a menu item are on hand, and how many of those are held by
/// checkouts still in progress. Items without a stock level are not tracked
/// and never run out.
public struct StockLevel: Codable, Sendable, Equatable {
    public var menuItemID: String
    /// Sellable now: on hand minus held by reservations.
    public var quantity: Int
    /// Held by reservations not yet committed or released.
    public var reserved: Int
    /// `StockLow` is published when `quantity` falls to or below this.
    public var lowStockThreshold: Int
    public var updatedAt: Date

    public init(menuItemID: String, quantity: Int, reserved: Int, lowStockThreshold: Int, updatedAt: Date) {
        self.menuItemID = menuItemID
        self.quantity = quantity
        self.reserved = reserved
        self.lowStockThreshold = lowStockThreshold
        self.updatedAt = updatedAt
    }

    enum CodingKeys: String, CodingKey {
        case quantity, reserved
        case menuItemID = "menu_item_id"
        case lowStockThreshold = "low_stock_threshold"
        case updatedAt = "updated_at"
    }
}

/// `PUT /inventory/{item_id}`.
public struct SetStock: Codable, Sendable {
    public var quantity: Int
    public var lowStockThreshold: Int?

    public init(quantity: Int, lowStockThreshold: Int? = nil) {
        self.quantity = quantity
        self.lowStockThreshold = lowStockThreshold
    }

    enum CodingKeys: String, CodingKey {
        case quantity
        case lowStockThreshold = "low_stock_threshold"
    }
}

/// `POST /inventory/{item_id}/adjust`: a delivery (+) or waste (-), with why.
public struct StockAdjustment: Codable, Sendable {
    public var delta: Int
    public var reason: String

    public init(delta: Int, reason: String) {
        self.delta = delta
        self.reason = reason
    }
}
