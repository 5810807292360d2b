import AuthAPI
import Foundation
import OrdersAPI
import PaymentsAPI
import RestaurantAPI
import Testing

/// Two restaurants on one Banyan: every endpoint, tried with the other
/// restaurant's ids, answers exactly as if they did not exist.
@Suite struct TenantIsolationTests {
    struct Restaurant {
        var tenant: String
        var token: String
        var item: String
        var order: String
        var payment: String
        var ticket: String
    }

    let app: TestGateway
    let a: Restaurant
    let b: Restaurant

    init() throws {
        app = try TestGateway()
        a = try Self.open(app, "iso-a")
        b = try Self.open(app, "iso-b")
    }

    static func open(_ app: TestGateway, _ prefix: String) throws -> Restaurant {
        let (tenant, token) = try app.tenantWithAdmin(prefix)
        let item = try app.addMenuItem(tenant: tenant, token: token, name: "House \(prefix)", priceCents: 900, stock: 10)
        let order = try app.placeOrder(tenant: tenant, token: token, items: [(item, 1)], method: "card", cardToken: "tok_visa")
            .decoded(Order.self).id
        let payment = try #require(try app.payments(tenant: tenant, token: token, order: order).first?.id)
        var ticket: String?
        _ = try app.eventually {
            let tickets = try app.call("GET", "/api/v1/restaurant/kitchen", tenant: tenant, token: token)
            ticket = try tickets.decoded([KitchenTicket].self).first?.id
            return ticket != nil
        }
        return Restaurant(tenant: tenant, token: token, item: item, order: order, payment: payment, ticket: try #require(ticket))
    }

    /// Calls as B, naming A's resources.
    func asB(_ method: String, _ path: String, json: Any? = nil) throws -> TestGateway.Reply {
        try app.call(method, path, tenant: b.tenant, token: b.token, json: json)
    }

    @Test func readsOfAnotherTenantsResourcesAre404() throws {
        let paths = [
            "/api/v1/restaurant/menu/\(a.item)", "/api/v1/inventory/\(a.item)", "/api/v1/orders/\(a.order)",
            "/api/v1/payments/\(a.payment)",
        ]
        for path in paths {
            let reply = try asB("GET", path)
            #expect(reply.status == 404, "GET \(path)")
            #expect(reply.header("content-type") == "application/problem+json")
        }
    }

    @Test func writesToAnotherTenantsResourcesAre404AndChangeNothing() throws {
        let attempts: [(String, String, Any?)] = [
            ("PATCH", "/api/v1/restaurant/menu/\(a.item)", ["price_cents": 1]),
            ("DELETE", "/api/v1/restaurant/menu/\(a.item)", nil),
            ("POST", "/api/v1/orders/\(a.order)/cancel", nil),
            ("POST", "/api/v1/payments/\(a.payment)/refund", nil),
            ("POST", "/api/v1/restaurant/kitchen/\(a.ticket)/done", nil),
            ("POST", "/api/v1/inventory/\(a.item)/adjust", ["delta": -5, "reason": "theft"]),
        ]
        let ids = [a.item, a.order, a.payment, a.ticket]
        for (method, path, body) in attempts {
            let reply = try asB(method, path, json: body)
            // Exactly the answer for an id that never existed anywhere.
            var ghostPath = path
            for id in ids { ghostPath = ghostPath.replacingOccurrences(of: id, with: UUID().uuidString.lowercased()) }
            let ghost = try asB(method, ghostPath, json: body)
            #expect(reply.status == ghost.status, "\(method) \(path)")
            #expect(reply.code == ghost.code, "\(method) \(path)")
            #expect(reply.status == 404 || path.contains("/inventory/"), "\(method) \(path): \(reply.status)")
        }
        // A's world is untouched.
        let item = try app.call("GET", "/api/v1/restaurant/menu/\(a.item)", tenant: a.tenant, token: a.token)
        #expect(try item.decoded(MenuItem.self).priceCents == 900)
        let order = try app.call("GET", "/api/v1/orders/\(a.order)", tenant: a.tenant, token: a.token)
        #expect(try order.decoded(Order.self).status == .completed)
        let payment = try app.call("GET", "/api/v1/payments/\(a.payment)", tenant: a.tenant, token: a.token)
        #expect(try payment.decoded(Payment.self).status == .captured)
        #expect(try app.sellable(tenant: a.tenant, token: a.token, item: a.item) == 9)
    }

    @Test func settingStockForAnotherTenantsItemTouchesOnlyYourOwnBooks() throws {
        // Stock is keyed by (tenant, item): B writing under A's item id creates B's row, never A's.
        _ = try asB("PUT", "/api/v1/inventory/\(a.item)", json: ["quantity": 0])
        #expect(try app.sellable(tenant: a.tenant, token: a.token, item: a.item) == 9)
    }

    @Test func listsShowOnlyYourOwn() throws {
        let menu = try asB("GET", "/api/v1/restaurant/menu")
        #expect(!String(decoding: menu.body, as: UTF8.self).contains(a.item))
        let stock = try asB("GET", "/api/v1/inventory")
        #expect(!String(decoding: stock.body, as: UTF8.self).contains(a.item))
        let orders = try asB("GET", "/api/v1/orders")
        #expect(!String(decoding: orders.body, as: UTF8.self).contains(a.order))
        #expect(try orders.decoded(OrderPage.self).total == 1)
        let payments = try asB("GET", "/api/v1/payments?order_id=\(a.order)")
        #expect(payments.status == 200)
        #expect(try payments.decoded(PaymentList.self).payments.isEmpty)
        let kitchen = try asB("GET", "/api/v1/restaurant/kitchen?include_done=true")
        #expect(!String(decoding: kitchen.body, as: UTF8.self).contains(a.ticket))
        let users = try asB("GET", "/api/v1/auth/users")
        let staff = try users.decoded([User].self)
        #expect(!staff.isEmpty)
        #expect(staff.allSatisfy { $0.tenantID == b.tenant })
    }

    @Test func orderingAnotherTenantsItemIsAnUnknownItem() throws {
        let reply = try app.placeOrder(tenant: b.tenant, token: b.token, items: [(a.item, 1)])
        #expect(reply.status == 422)
        #expect(reply.code == "unknown_items")
        #expect(try app.sellable(tenant: a.tenant, token: a.token, item: a.item) == 9)
    }

    @Test func theChatAssistantSeesOnlyItsOwnRestaurant() throws {
        let number = try app.call("GET", "/api/v1/orders/\(a.order)", tenant: a.tenant, token: a.token).decoded(Order.self)
            .number
        // B has an order with the same number; A's must not be the one B sees.
        let reply = try asB("POST", "/api/v1/chat", json: ["message": "status of order \(number)"])
        #expect(reply.status == 200)
        #expect(!String(decoding: reply.body, as: UTF8.self).contains(a.order))
        let menu = try asB("POST", "/api/v1/chat", json: ["message": "show the menu"])
        #expect(!String(decoding: menu.body, as: UTF8.self).contains("House iso-a"))
    }
}
