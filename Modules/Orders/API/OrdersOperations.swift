import Facade
import Platform

/// The Orders facade as operations: declared once, served in-process by
/// `LocalTransport` and, once Orders runs as a service, over HTTP.
public enum OrdersOperations {
    public static let place = Operation<PlaceOrder, Order>("orders.place")
    public static let order = Operation<OrderLookup, Order>("orders.order", readOnly: true)
    public static let orderByNumber = Operation<OrderNumberLookup, Order>("orders.order_by_number", readOnly: true)
    public static let orders = Operation<OrderQuery, OrderPage>("orders.orders", readOnly: true)
    public static let cancel = Operation<OrderLookup, Order>("orders.cancel")

    /// Every operation above: the table Orders serves must bind exactly these.
    public static let all: [any DeclaredOperation] = [place, order, orderByNumber, orders, cancel]

    /// Reads a problem received over the wire back into `OrdersError`. The
    /// errors a checkout passes on from other modules (`out_of_stock`, a
    /// declined card's 402) come back as the problem itself, unchanged for
    /// the HTTP client.
    public static let decodeError: @Sendable (Problem) -> (any Error)? = { OrdersError(problem: $0) }

    /// Orders as any process reaches it: these operations, these errors.
    public static let interface = ModuleInterface(name: "orders", operations: all, decodeError: decodeError)
}

/// One order by id: `orders.order`, `orders.cancel`.
public struct OrderLookup: Codable, Sendable, Equatable {
    public var id: String
    public init(id: String) { self.id = id }
}

/// One order by its readable number: `orders.order_by_number`.
public struct OrderNumberLookup: Codable, Sendable, Equatable {
    public var number: String
    public init(number: String) { self.number = number }
}
