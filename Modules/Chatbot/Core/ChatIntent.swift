/// What the assistant understood a message to ask for.
package enum ChatIntent: Sendable, Equatable {
    case help
    case menu
    /// `item` is what the user named, empty when they named nothing.
    case price(item: String)
    case stock(item: String)
    case placeOrder([RequestedLine])
    /// `number` is normalized (`B-000042`), nil when the message named none.
    case orderStatus(number: String?)
    case cancelOrder(number: String?)
    case unknown

    /// The wire name, `ChatReply.intent`.
    package var name: String {
        switch self {
        case .help: "help"
        case .menu: "menu"
        case .price: "price"
        case .stock: "stock"
        case .placeOrder: "place_order"
        case .orderStatus: "order_status"
        case .cancelOrder: "cancel_order"
        case .unknown: "unknown"
        }
    }
}

/// One line of an order as typed: "2 burgers" is `(2, "burgers")`. The name
/// is matched against the menu later, by the service, which has the menu.
package struct RequestedLine: Sendable, Equatable {
    package var quantity: Int
    package var name: String
    /// False when no number was typed ("a coke" counts as typed; "coke" does not).
    package var quantityTyped: Bool

    package init(quantity: Int, name: String, quantityTyped: Bool = true) {
        self.quantity = quantity
        self.name = name
        self.quantityTyped = quantityTyped
    }
}
