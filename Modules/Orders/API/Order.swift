import Foundation

/// A sale: what was bought, at which prices, and whether it was paid.
public struct Order: Codable, Sendable, Equatable {
    public enum Status: String, Codable, Sendable, CaseIterable {
        case pending
        case completed
        case paymentFailed = "payment_failed"
        case cancelled
    }

    public struct Line: Codable, Sendable, Equatable {
        public var menuItemID: String
        public var name: String
        public var quantity: Int
        public var unitPriceCents: Int64

        public init(menuItemID: String, name: String, quantity: Int, unitPriceCents: Int64) {
            self.menuItemID = menuItemID
            self.name = name
            self.quantity = quantity
            self.unitPriceCents = unitPriceCents
        }

        enum CodingKeys: String, CodingKey {
            case name, quantity
            case menuItemID = "menu_item_id"
            case unitPriceCents = "unit_price_cents"
        }
    }

    public var id: String
    /// Readable per-restaurant number, e.g. `B-000042`: gapless, given when
    /// the order is settled or held; empty while a checkout is still reserving.
    public var number: String
    public var status: Status
    public var totalCents: Int64
    public var currency: String
    public var items: [Line]
    /// The payment's status (`captured`, `declined`, `refunded`), nil before a charge.
    public var paymentStatus: String?
    public var paymentMethod: String?
    /// For `payment_failed`: why, e.g. `card_declined`.
    public var failureCode: String?
    public var createdAt: Date

    public init(
        id: String, number: String, status: Status, totalCents: Int64, currency: String, items: [Line],
        paymentStatus: String?, paymentMethod: String?, failureCode: String?, createdAt: Date
    ) {
        self.id = id
        self.number = number
        self.status = status
        self.totalCents = totalCents
        self.currency = currency
        self.items = items
        self.paymentStatus = paymentStatus
        self.paymentMethod = paymentMethod
        self.failureCode = failureCode
        self.createdAt = createdAt
    }

    enum CodingKeys: String, CodingKey {
        case id, number, status, currency, items
        case totalCents = "total_cents"
        case paymentStatus = "payment_status"
        case paymentMethod = "payment_method"
        case failureCode = "failure_code"
        case createdAt = "created_at"
    }
}
