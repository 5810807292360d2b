import HTTPServer
import InventoryAPI
import OrdersAPI
import PaymentsAPI
import Platform

/// `/api/v1/orders`: HTTP in front of the `OrdersFacade`.
enum OrderRoutes {
    static let status = QueryParameter.enumeration("status", of: Order.Status.self)
    static let limit = QueryParameter.int("limit", in: 1...200, default: 50)
    static let offset = QueryParameter.int("offset", in: 0...Int.max, default: 0)

    static func routes(orders: any OrdersFacade) -> [Route] {
        let group = RouteGroup("/api/v1/orders", access: .user)
        // A checkout and a cancel call Inventory and Payments, which may be extracted.
        let routed = PipelineProblems.routedCall(to: "payments")
        return [
            group.post(
                summary: "Sell: price, hold the stock, charge, complete", body: PlaceOrder.self,
                headers: [.idempotencyKey(required: false)],
                problems: [
                    OrdersError.unknownItems([]), OrdersError.keyReused,
                    InventoryError.outOfStock([]), PaymentsError.cardDeclined, PaymentsError.insufficientFunds,
                ] + routed
            ) { context, request in
                PlacedOrder(try orders.place(context.callContext, request))
            },
            group.get(summary: "Orders, newest first", query: [status, limit, offset]) { context in
                try orders.orders(
                    context.callContext,
                    OrderQuery(
                        status: try context.query(status), limit: try context.query(limit),
                        offset: try context.query(offset)))
            },
            group.get("/{id}", summary: "One order", problems: [OrdersError.orderNotFound]) { context in
                try orders.order(context.callContext, id: context.parameter("id"))
            },
            group.post(
                "/{id}/cancel", summary: "Refund, restock and cancel a completed order (manager+)",
                problems: [OrdersError.orderNotFound, OrdersError.alreadyCancelled, OrdersError.notCancellable] + routed
            ) { context in
                try orders.cancel(context.callContext, id: context.parameter("id"))
            },
        ]
    }
}
