import HTTPServer
import OrdersAPI
import Platform

/// `/api/v1/orders`: HTTP in front of the `OrdersFacade`.
enum OrderRoutes {
    static func routes(orders: any OrdersFacade) -> [Route] {
        [
            Route("POST", "/api/v1/orders", access: .user) { context in
                let request = try context.decode(PlaceOrder.self)
                let order = try orders.place(context.callContext, request)
                // Pending: the payment's outcome is not known yet. The stock is
                // held and the order settles from a definite answer; the
                // client follows Location, or retries with the same Idempotency-Key.
                let pending = order.status == .pending
                var response = try JSONCoding.response(order, status: pending ? 202 : 201)
                response.headers.add("location", "/api/v1/orders/\(order.id)")
                if pending { response.headers.add("retry-after", "2") }
                return response
            },
            Route("GET", "/api/v1/orders", access: .user) { context in
                let parameters = context.request.queryParameters
                var query = OrderQuery()
                if let status = parameters["status"] {
                    guard let parsed = Order.Status(rawValue: status) else {
                        throw OrdersError.invalidInput(
                            field: "status", reason: Order.Status.allCases.map(\.rawValue).joined(separator: ", "))
                    }
                    query.status = parsed
                }
                if let limit = parameters["limit"] {
                    guard let value = Int(limit) else { throw OrdersError.invalidInput(field: "limit", reason: "a number") }
                    query.limit = value
                }
                if let offset = parameters["offset"] {
                    guard let value = Int(offset) else { throw OrdersError.invalidInput(field: "offset", reason: "a number") }
                    query.offset = value
                }
                return try JSONCoding.response(try orders.orders(context.callContext, query))
            },
            Route("GET", "/api/v1/orders/{id}", access: .user) { context in
                try JSONCoding.response(try orders.order(context.callContext, id: context.parameter("id")))
            },
            Route("POST", "/api/v1/orders/{id}/cancel", access: .user) { context in
                try JSONCoding.response(try orders.cancel(context.callContext, id: context.parameter("id")))
            },
        ]
    }
}
