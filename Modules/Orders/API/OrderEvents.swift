import Platform

/// Published when an order is paid and complete: the kitchen's cue.
public struct OrderPlaced: DomainEvent, Equatable {
    public static let eventType = "OrderPlaced"

    public var orderID: String
    public var number: String
    public var items: [Order.Line]
    public var totalCents: Int64
    public var currency: String

    public init(orderID: String, number: String, items: [Order.Line], totalCents: Int64, currency: String) {
        self.orderID = orderID
        self.number = number
        self.items = items
        self.totalCents = totalCents
        self.currency = currency
    }

    enum CodingKeys: String, CodingKey {
        case number, items, currency
        case orderID = "order_id"
        case totalCents = "total_cents"
    }
}

/// Published when a completed order is cancelled (stock restored, refunded).
public struct OrderCancelled: DomainEvent, Equatable {
    public static let eventType = "OrderCancelled"

    public var orderID: String
    public var number: String

    public init(orderID: String, number: String) {
        self.orderID = orderID
        self.number = number
    }

    enum CodingKeys: String, CodingKey {
        case number
        case orderID = "order_id"
    }
}
