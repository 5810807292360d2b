import Facade
import OrdersAPI
import Platform

extension OrdersService {
    /// This service's handlers bound to the Orders operations: what
    /// `LocalTransport` calls in-process and a service would serve over HTTP.
    package func operations() -> OperationTable {
        OperationTable(module: "orders", decodeError: OrdersOperations.decodeError)
            .bind(OrdersOperations.place) { [self] in try place($0, $1) }
            .bind(OrdersOperations.order) { [self] in try order($0, id: $1.id) }
            .bind(OrdersOperations.orderByNumber) { [self] in try order($0, number: $1.number) }
            .bind(OrdersOperations.orders) { [self] in try orders($0, $1) }
            .bind(OrdersOperations.cancel) { [self] in try cancel($0, id: $1.id) }
    }
}
