import Foundation

/// What the kitchen must prepare for one order.
public struct KitchenTicket: Codable, Sendable, Equatable {
    public struct Line: Codable, Sendable, Equatable {
        public var name: String
        public var quantity: Int

        public init(name: String, quantity: Int) {
            self.name = name
            self.quantity = quantity
        }
    }

    public enum Status: String, Codable, Sendable, CaseIterable {
        case open, done
    }

    public var id: String
    public var orderID: String
    public var orderNumber: String
    public var items: [Line]
    public var status: Status
    public var createdAt: Date
    public var doneAt: Date?

    public init(
        id: String, orderID: String, orderNumber: String, items: [Line], status: Status, createdAt: Date, doneAt: Date?
    ) {
        self.id = id
        self.orderID = orderID
        self.orderNumber = orderNumber
        self.items = items
        self.status = status
        self.createdAt = createdAt
        self.doneAt = doneAt
    }

    enum CodingKeys: String, CodingKey {
        case id, items, status
        case orderID = "order_id"
        case orderNumber = "order_number"
        case createdAt = "created_at"
        case doneAt = "done_at"
    }
}

/// Opens the ticket for an order; the same order never gets two.
public struct NewKitchenTicket: Codable, Sendable {
    public var orderID: String
    public var orderNumber: String
    public var items: [KitchenTicket.Line]

    public init(orderID: String, orderNumber: String, items: [KitchenTicket.Line]) {
        self.orderID = orderID
        self.orderNumber = orderNumber
        self.items = items
    }

    enum CodingKeys: String, CodingKey {
        case items
        case orderID = "order_id"
        case orderNumber = "order_number"
    }
}
