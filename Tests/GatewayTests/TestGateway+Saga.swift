import BanyanTestSupport
import Foundation
import HTTPClient
import PaymentsAPI
import Postgres

/// What the checkout-saga tests look at behind the API: the rows
/// themselves through the database's superuser connection (to read claims,
/// or to stage what a crash or an old bug would have left behind).
extension TestGateway {
    /// POST /api/v1/orders with a client timeout of `seconds`, for checkouts
    /// a test holds at the processor longer than the shared client waits.
    func placeCardOrder(
        tenant: String, token: String, item: String, quantity: Int = 1, cardToken: String = "tok_visa",
        idempotencyKey: String, waiting seconds: Double = 30
    ) throws -> Reply {
        let body: [String: Any] = [
            "items": [["menu_item_id": item, "quantity": quantity]],
            "payment": ["method": "card", "token": cardToken],
        ]
        let response = try HTTPClient.shared.send(
            method: "POST", url: baseURL + "/api/v1/orders",
            headers: [
                ("x-tenant-id", tenant), ("authorization", "Bearer \(token)"), ("content-type", "application/json"),
                ("idempotency-key", idempotencyKey),
            ],
            body: Array(try JSONSerialization.data(withJSONObject: body)), totalTimeout: seconds)
        return Reply(status: response.status, headers: response.headers, body: response.body)
    }

    /// POST an ops endpoint (`/admin/recovery/run`, `/admin/reconciliation/run`), waiting up to `seconds`.
    func runOps(_ path: String, waiting seconds: Double = 60) throws -> Reply {
        let response = try HTTPClient.shared.send(
            method: "POST", url: baseURL + path, headers: [("authorization", "Bearer \(opsToken)")],
            totalTimeout: seconds)
        return Reply(status: response.status, headers: response.headers, body: response.body)
    }

    /// Runs `body` on a superuser connection to this gateway's database
    /// (row-level security does not apply to it).
    func withSQL<T>(_ body: (PostgresConnection) throws -> T) throws -> T {
        let connection = try PostgresConnection(conninfo: database.adminConnectionInfo)
        defer { connection.close() }
        return try body(connection)
    }

    /// The orders `tenant` has a kitchen ticket for, whoever opened it.
    func kitchenTicketOrders(tenant: String) throws -> Set<String> {
        try withSQL { db in
            Set(try db.query("SELECT order_id FROM restaurant.kitchen_tickets WHERE tenant_id = \(tenant)").map {
                try $0.string("order_id")
            })
        }
    }

    /// The claim on an order: who holds it, and whether it still runs.
    func claim(order id: String) throws -> (claimant: String?, live: Bool, paymentStatus: String?) {
        try withSQL { db in
            let row = try db.query(
                """
                SELECT claimed_by, coalesce(claimed_until > now(), false) AS live, payment_status
                FROM orders.orders WHERE id = \(id)::uuid
                """
            ).first
            guard let row else { throw TestFailure("no order \(id)") }
            return (try row.optionalString("claimed_by"), try row.bool("live"), try row.optionalString("payment_status"))
        }
    }

    /// The only payment taken for `order`, read through the API.
    func onlyPayment(tenant: String, token: String, order: String) throws -> Payment {
        let found = try payments(tenant: tenant, token: token, order: order)
        guard found.count == 1 else { throw TestFailure("order \(order) has \(found.count) payments") }
        return found[0]
    }
}
