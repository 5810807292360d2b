/// `POST /orders`. Prices come from the menu, never from the client.
public struct PlaceOrder: Codable, Sendable {
    public struct Item: Codable, Sendable {
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

    public struct Payment: Codable, Sendable {
        /// `cash` or `card`.
        public var method: String
        /// Card token from the terminal; required for `card`.
        public var token: String?

        public init(method: String, token: String? = nil) {
            self.method = method
            self.token = token
        }
    }

    public var items: [Item]
    public var payment: Payment

    public init(items: [Item], payment: Payment) {
        self.items = items
        self.payment = payment
    }
}

/// `GET /orders`: newest first.
public struct OrderQuery: Codable, Sendable {
    public var status: Order.Status?
    public var limit: Int
    public var offset: Int

    public init(status: Order.Status? = nil, limit: Int = 50, offset: Int = 0) {
        self.status = status
        self.limit = limit
        self.offset = offset
    }

    enum CodingKeys: String, CodingKey { case status, limit, offset }
}

/// One page of orders.
public struct OrderPage: Codable, Sendable {
    public var orders: [Order]
    public var total: Int
    public var limit: Int
    public var offset: Int

    public init(orders: [Order], total: Int, limit: Int, offset: Int) {
        self.orders = orders
        self.total = total
        self.limit = limit
        self.offset = offset
    }
}
