import BanyanTestSupport
import Foundation
import InventoryAPI
import PaymentsAPI
import RestaurantAPI

/// Helpers for driving the restaurant domain through HTTP.
extension TestGateway {
    /// Creates a menu item (and its stock when given); returns its id.
    func addMenuItem(
        tenant: String, token: String, name: String, priceCents: Int, stock: Int? = nil, currency: String = "USD"
    ) throws -> String {
        let created = try call(
            "POST", "/api/v1/restaurant/menu", tenant: tenant, token: token,
            json: ["name": name, "price_cents": priceCents, "currency": currency])
        guard created.status == 201 else { throw TestFailure("menu item \(name): \(created.status) \(created.code ?? "")") }
        let id = try created.decoded(MenuItem.self).id
        if let stock {
            let set = try call("PUT", "/api/v1/inventory/\(id)", tenant: tenant, token: token, json: ["quantity": stock])
            guard set.status == 200 else { throw TestFailure("stock \(name): \(set.status) \(set.code ?? "")") }
        }
        return id
    }

    func placeOrder(
        tenant: String, token: String, items: [(String, Int)], method: String = "cash", cardToken: String? = nil,
        idempotencyKey: String? = nil
    ) throws -> Reply {
        var payment: [String: Any] = ["method": method]
        if let cardToken { payment["token"] = cardToken }
        return try call(
            "POST", "/api/v1/orders", tenant: tenant, token: token,
            json: ["items": items.map { ["menu_item_id": $0.0, "quantity": $0.1] }, "payment": payment],
            headers: idempotencyKey.map { [("idempotency-key", $0)] } ?? [])
    }

    /// A tracked menu item's stock: sellable now, and held by reservations.
    func stock(tenant: String, token: String, item: String) throws -> StockLevel {
        try call("GET", "/api/v1/inventory/\(item)", tenant: tenant, token: token).decoded()
    }

    /// How many of a tracked item can be sold now.
    func sellable(tenant: String, token: String, item: String) throws -> Int {
        try stock(tenant: tenant, token: token, item: item).quantity
    }

    func payments(tenant: String, token: String, order: String) throws -> [Payment] {
        try call("GET", "/api/v1/payments?order_id=\(order)", tenant: tenant, token: token).decoded(PaymentList.self)
            .payments
    }

    /// A user of `role` in `tenant`; returns their token.
    func staff(_ role: String, tenant: String, adminToken: String) throws -> String {
        let name = "\(role)-\(UUID().uuidString.prefix(6).lowercased())"
        let created = try call(
            "POST", "/api/v1/auth/register", tenant: tenant, token: adminToken,
            json: ["username": name, "email": "\(name)@example.com", "password": "password-\(name)", "role": role])
        guard created.status == 201 else { throw TestFailure("register \(role): \(created.status)") }
        return try login(tenant, name, "password-\(name)")
    }

    /// Polls `condition` until it holds or `seconds` pass.
    func eventually(within seconds: Double = 10, _ condition: () throws -> Bool) rethrows -> Bool {
        let deadline = Date(timeIntervalSinceNow: seconds)
        repeat {
            if try condition() { return true }
            usleep(20_000)
        } while Date() < deadline
        return try condition()
    }
}
