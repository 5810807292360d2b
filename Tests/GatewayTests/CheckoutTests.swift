import Foundation
import OrdersAPI
import PaymentsAPI
import RestaurantAPI
import Testing

/// The checkout saga end to end: HTTP → Orders → Restaurant, Inventory,
/// Payments → PostgreSQL, with the real event dispatcher running.
@Suite struct CheckoutTests {
    let app: TestGateway
    init() throws { app = try TestGateway() }

    /// Every order the tenant has, whatever its status.
    private func orderCount(_ tenant: String, _ token: String) throws -> Int {
        try app.call("GET", "/api/v1/orders", tenant: tenant, token: token).decoded(OrderPage.self).total
    }

    @Test func fiftyCashiersRaceForTenItems() throws {
        let (tenant, token) = try app.tenantWithAdmin("race")
        let item = try app.addMenuItem(tenant: tenant, token: token, name: "Last Croissants", priceCents: 350, stock: 10)
        let statuses = ReplyLog()
        DispatchQueue.concurrentPerform(iterations: 50) { _ in
            let reply = try? app.placeOrder(tenant: tenant, token: token, items: [(item, 1)])
            statuses.append(reply.map { ($0.status, $0.code, try? $0.decoded(Order.self).id) } ?? (0, nil, nil))
        }
        let results = statuses.values
        #expect(results.filter { $0.0 == 201 }.count == 10)
        #expect(results.filter { $0.0 == 409 && $0.1 == "out_of_stock" }.count == 40)
        #expect(try app.sellable(tenant: tenant, token: token, item: item) == 0)
        let paid = try results.compactMap(\.2).map { try app.payments(tenant: tenant, token: token, order: $0) }
        #expect(paid.count == 10)
        #expect(paid.allSatisfy { $0.count == 1 && $0[0].status == .captured })
        let completed = try app.call("GET", "/api/v1/orders?status=completed", tenant: tenant, token: token)
        #expect(try completed.decoded(OrderPage.self).total == 10)
        #expect(try orderCount(tenant, token) == 10, "out-of-stock attempts leave no order behind")
    }

    @Test func aCompletedOrderReadsAsTheIssueSays() throws {
        let (tenant, token) = try app.tenantWithAdmin("shape")
        let burger = try app.addMenuItem(tenant: tenant, token: token, name: "Burger", priceCents: 1250, stock: 5)
        let coke = try app.addMenuItem(tenant: tenant, token: token, name: "Coke", priceCents: 300)
        let reply = try app.placeOrder(tenant: tenant, token: token, items: [(burger, 2), (coke, 1)], method: "card", cardToken: "tok_visa")
        #expect(reply.status == 201)
        let order = try reply.decoded(Order.self)
        #expect(order.status == .completed)
        #expect(order.totalCents == 2800)
        #expect(order.currency == "USD")
        #expect(order.paymentStatus == "captured")
        #expect(order.number.hasPrefix("B-"))
        #expect(order.number.count == 8)
        #expect(order.items.count == 2)
        let burgerLine = try #require(order.items.first { $0.menuItemID == burger })
        #expect(burgerLine.unitPriceCents == 1250)
        #expect(burgerLine.name == "Burger")
        #expect(burgerLine.quantity == 2)
        #expect(reply.json["created_at"] is String)
        #expect(try app.sellable(tenant: tenant, token: token, item: burger) == 3)
        let fetched = try app.call("GET", "/api/v1/orders/\(order.id)", tenant: tenant, token: token)
        #expect(try fetched.decoded(Order.self).number == order.number)
    }

    @Test(arguments: [("tok_declined", "card_declined"), ("tok_insufficient_funds", "insufficient_funds")])
    func aDeclineReleasesStockAndLeavesAFailedOrder(_ card: String, _ code: String) throws {
        let (tenant, token) = try app.tenantWithAdmin("decline")
        let item = try app.addMenuItem(tenant: tenant, token: token, name: "Steak", priceCents: 2900, stock: 3)
        let reply = try app.placeOrder(tenant: tenant, token: token, items: [(item, 2)], method: "card", cardToken: card)
        #expect(reply.status == 402)
        #expect(reply.code == code)
        let orderID = try #require(reply.json["order_id"] as? String)
        #expect(try app.sellable(tenant: tenant, token: token, item: item) == 3)
        let order = try app.call("GET", "/api/v1/orders/\(orderID)", tenant: tenant, token: token).decoded(Order.self)
        #expect(order.status == .paymentFailed)
        #expect(order.failureCode == code)
        let payments = try app.payments(tenant: tenant, token: token, order: orderID)
        #expect(!payments.contains { $0.status == .captured })
    }

    @Test func aReplayedOrderIsTheFirstOrder() throws {
        let (tenant, token) = try app.tenantWithAdmin("replay")
        let item = try app.addMenuItem(tenant: tenant, token: token, name: "Soup", priceCents: 600, stock: 10)
        let first = try app.placeOrder(tenant: tenant, token: token, items: [(item, 2)], idempotencyKey: "till-1-0001")
        let second = try app.placeOrder(tenant: tenant, token: token, items: [(item, 2)], idempotencyKey: "till-1-0001")
        #expect(first.status == 201)
        #expect(second.status == 201)
        let orderID = try first.decoded(Order.self).id
        #expect(try second.decoded(Order.self).id == orderID)
        #expect(try app.sellable(tenant: tenant, token: token, item: item) == 8, "stock taken once")
        #expect(try app.payments(tenant: tenant, token: token, order: orderID).count == 1, "charged once")
        let different = try app.placeOrder(tenant: tenant, token: token, items: [(item, 3)], idempotencyKey: "till-1-0001")
        #expect(different.status == 409)
        #expect(different.code == "idempotency_key_reused")
        #expect(try orderCount(tenant, token) == 1)
    }

    @Test func aReplayedDeclineIsTheSameDecline() throws {
        let (tenant, token) = try app.tenantWithAdmin("replay-decline")
        let item = try app.addMenuItem(tenant: tenant, token: token, name: "Wine", priceCents: 900, stock: 4)
        let first = try app.placeOrder(
            tenant: tenant, token: token, items: [(item, 1)], method: "card", cardToken: "tok_declined", idempotencyKey: "k-decline")
        let second = try app.placeOrder(
            tenant: tenant, token: token, items: [(item, 1)], method: "card", cardToken: "tok_declined", idempotencyKey: "k-decline")
        #expect(first.status == 402)
        #expect(second.status == 402)
        #expect(first.json["order_id"] as? String == second.json["order_id"] as? String)
        #expect(try orderCount(tenant, token) == 1)
    }

    @Test func concurrentReplaysPlaceOneOrder() throws {
        let (tenant, token) = try app.tenantWithAdmin("replay-race")
        let item = try app.addMenuItem(tenant: tenant, token: token, name: "Pie", priceCents: 450, stock: 100)
        let statuses = ReplyLog()
        DispatchQueue.concurrentPerform(iterations: 12) { _ in
            let reply = try? app.placeOrder(tenant: tenant, token: token, items: [(item, 1)], idempotencyKey: "same-key")
            statuses.append(reply.map { ($0.status, $0.code, try? $0.decoded(Order.self).id) } ?? (0, nil, nil))
        }
        let results = statuses.values
        // A twin arriving while the first still works gets the order as it
        // stands: pending (202) or already completed (201).
        #expect(results.allSatisfy { $0.0 == 201 || $0.0 == 202 })
        #expect(Set(results.compactMap(\.2)).count == 1)
        #expect(try app.sellable(tenant: tenant, token: token, item: item) == 99)
        #expect(try orderCount(tenant, token) == 1)
    }

    @Test func cancellingRefundsAndRestocksOnce() throws {
        let (tenant, adminToken) = try app.tenantWithAdmin("cancel")
        let cashier = try app.staff("cashier", tenant: tenant, adminToken: adminToken)
        let manager = try app.staff("manager", tenant: tenant, adminToken: adminToken)
        let item = try app.addMenuItem(tenant: tenant, token: adminToken, name: "Pasta", priceCents: 1400, stock: 6)
        let placed = try app.placeOrder(tenant: tenant, token: cashier, items: [(item, 2)], method: "card", cardToken: "tok_visa")
        let orderID = try placed.decoded(Order.self).id
        #expect(try app.sellable(tenant: tenant, token: adminToken, item: item) == 4)

        let byCashier = try app.call("POST", "/api/v1/orders/\(orderID)/cancel", tenant: tenant, token: cashier)
        #expect(byCashier.status == 403)
        let cancelled = try app.call("POST", "/api/v1/orders/\(orderID)/cancel", tenant: tenant, token: manager)
        #expect(cancelled.status == 200)
        let cancelledOrder = try cancelled.decoded(Order.self)
        #expect(cancelledOrder.status == .cancelled)
        #expect(cancelledOrder.paymentStatus == "refunded")
        #expect(try app.sellable(tenant: tenant, token: adminToken, item: item) == 6)
        let payments = try app.payments(tenant: tenant, token: adminToken, order: orderID)
        #expect(payments.count == 1)
        #expect(payments.first?.status == .refunded)

        let again = try app.call("POST", "/api/v1/orders/\(orderID)/cancel", tenant: tenant, token: manager)
        #expect(again.status == 409)
        #expect(again.code == "already_cancelled")
        #expect(try app.sellable(tenant: tenant, token: adminToken, item: item) == 6, "restocked once")
    }

    @Test func unknownAndUnavailableItemsAreNamed() throws {
        let (tenant, token) = try app.tenantWithAdmin("unknown")
        let item = try app.addMenuItem(tenant: tenant, token: token, name: "Tea", priceCents: 250)
        let hidden = try app.addMenuItem(tenant: tenant, token: token, name: "Seasonal", priceCents: 800)
        _ = try app.call("PATCH", "/api/v1/restaurant/menu/\(hidden)", tenant: tenant, token: token, json: ["available": false])
        let ghost = UUID().uuidString.lowercased()
        let reply = try app.placeOrder(tenant: tenant, token: token, items: [(item, 1), (ghost, 1), (hidden, 1)])
        #expect(reply.status == 422)
        #expect(reply.code == "unknown_items")
        #expect(Set(reply.json["items"] as? [String] ?? []) == [ghost, hidden])
        #expect(try orderCount(tenant, token) == 0)
    }

    @Test(arguments: [
        #"{"items":[],"payment":{"method":"cash"}}"#,
        #"{"items":[{"menu_item_id":"x","quantity":1}],"payment":{"method":"cash"}}"#,
        #"{"items":[{"menu_item_id":"00000000-0000-0000-0000-000000000001","quantity":0}],"payment":{"method":"cash"}}"#,
        #"{"items":[{"menu_item_id":"00000000-0000-0000-0000-000000000001","quantity":1}],"payment":{"method":"bitcoin"}}"#,
        #"{"items":[{"menu_item_id":"00000000-0000-0000-0000-000000000001","quantity":1}],"payment":{"method":"card"}}"#,
        #"{"items":[{"menu_item_id":"00000000-0000-0000-0000-000000000001","quantity":1,"unit_price_cents":1}]}"#,
    ])
    func malformedOrdersAre422(_ body: String) throws {
        let (tenant, token) = try app.tenantWithAdmin("bad-order")
        let reply = try app.call(
            "POST", "/api/v1/orders", tenant: tenant, token: token, rawBody: Array(body.utf8),
            headers: [("content-type", "application/json")])
        #expect(reply.status == 422)
        #expect(reply.code == "validation_failed")
    }

    @Test func aPlacedOrderOpensAKitchenTicket() throws {
        let (tenant, token) = try app.tenantWithAdmin("kitchen")
        let item = try app.addMenuItem(tenant: tenant, token: token, name: "Fries", priceCents: 400)
        let placed = try app.placeOrder(tenant: tenant, token: token, items: [(item, 3)])
        let order = try placed.decoded(Order.self)
        var ticket: KitchenTicket?
        #expect(try app.eventually {
            let tickets = try app.call("GET", "/api/v1/restaurant/kitchen", tenant: tenant, token: token)
            ticket = try tickets.decoded([KitchenTicket].self).first { $0.orderNumber == order.number }
            return ticket != nil
        })
        #expect(ticket?.orderID == order.id)
        #expect(ticket?.items == [KitchenTicket.Line(name: "Fries", quantity: 3)])
    }
}

/// Results gathered from many threads.
final class ReplyLog: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [(Int, String?, String?)] = []

    func append(_ value: (Int, String?, String?)) {
        lock.lock()
        stored.append(value)
        lock.unlock()
    }

    var values: [(Int, String?, String?)] {
        lock.lock()
        defer { lock.unlock() }
        return stored
    }
}
