import HTTPServer
import OrdersAPI

/// What `POST /api/v1/orders` answers: 201 with the completed order, or 202
/// while the payment's outcome is not known yet. Pending, the stock is held
/// and the order settles from a definite answer; the client follows
/// `Location`, or retries with the same `Idempotency-Key`.
struct PlacedOrder: ResponseGenerator {
    let order: Order

    init(_ order: Order) { self.order = order }

    static var responses: [ResponseDocumentation] {
        let location = (name: "Location", description: "The order: /api/v1/orders/{id}")
        return [
            .json(201, Order.self, "The order is completed", headers: [location]),
            .json(
                202, Order.self, "Pending: the payment's outcome is not known yet; the stock is held",
                headers: [location, (name: "Retry-After", description: "Seconds before asking again")]),
        ]
    }

    func response() throws -> HTTPResponse {
        let pending = order.status == .pending
        var response = try JSONCoding.response(order, status: pending ? 202 : 201)
        response.headers.add("location", "/api/v1/orders/\(order.id)")
        if pending { response.headers.add("retry-after", "2") }
        return response
    }
}
