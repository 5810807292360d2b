import HTTPServer
import OrdersAPI
import Platform

/// `/api/v1/orders`: HTTP in front of the `OrdersFacade`.
enum OrderRoutes {
    static func routes(orders: any OrdersFacade) -> [Route] {
        [
            Route("POST", "/api/v1/orders", access: .user) { context in
                let request = try context.decode(PlaceOrder.self)
                return try JSONCoding.response(try orders.place(context.callContext, request), status: 201)
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
