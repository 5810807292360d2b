import Facade
import Platform

/// `OrdersFacade` over a `Transport`: the same calls whether Orders runs in
/// this process or in its own service.
public struct OrdersClient: OrdersFacade {
    private let transport: any Transport

    public init(transport: any Transport) { self.transport = transport }

    public func place(_ context: CallContext, _ request: PlaceOrder) throws -> Order {
        try transport.call(OrdersOperations.place, context, request)
    }

    public func order(_ context: CallContext, id: String) throws -> Order {
        try transport.call(OrdersOperations.order, context, OrderLookup(id: id))
    }

    public func order(_ context: CallContext, number: String) throws -> Order {
        try transport.call(OrdersOperations.orderByNumber, context, OrderNumberLookup(number: number))
    }

    public func orders(_ context: CallContext, _ query: OrderQuery) throws -> OrderPage {
        try transport.call(OrdersOperations.orders, context, query)
    }

    public func cancel(_ context: CallContext, id: String) throws -> Order {
        try transport.call(OrdersOperations.cancel, context, OrderLookup(id: id))
    }
}
