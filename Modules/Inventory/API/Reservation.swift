import Foundation

/// A quantity of a menu item.
public struct StockLine: Codable, Sendable, Hashable {
    public var menuItemID: String
    public var quantity: Int

    public init(menuItemID: String, quantity: Int) {
        self.menuItemID = menuItemID
        self.quantity = quantity
    }

    enum CodingKeys: String, CodingKey {
        case quantity
        case menuItemID = "menu_item_id"
    }
}

/// Stock held for a checkout, identified by the caller's key (e.g. `order:<id>`).
/// Held → committed (sold) or released (back on the shelf); a committed
/// reservation can still be released when its order is cancelled.
public struct Reservation: Codable, Sendable, Equatable {
    public enum Status: String, Codable, Sendable {
        case held, committed, released
    }

    public var key: String
    public var status: Status
    public var lines: [StockLine]
    public var createdAt: Date

    public init(key: String, status: Status, lines: [StockLine], createdAt: Date) {
        self.key = key
        self.status = status
        self.lines = lines
        self.createdAt = createdAt
    }

    enum CodingKeys: String, CodingKey {
        case key, status, lines
        case createdAt = "created_at"
    }
}

/// `reserve(key:lines:)`.
public struct ReserveStock: Codable, Sendable {
    public var key: String
    public var lines: [StockLine]

    public init(key: String, lines: [StockLine]) {
        self.key = key
        self.lines = lines
    }
}
