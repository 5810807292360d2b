import BanyanTestSupport
import Foundation
import OrdersAPI
import Postgres
import Testing

/// Receipt numbers are gapless per restaurant (see `OrdersSchema`): a
/// number belongs to an order that exists, whatever its end, and an
/// out-of-stock attempt, which leaves no order, takes none.
@Suite struct OrderNumberingTests {
    let app: TestGateway
    init() throws { app = try TestGateway() }

    /// Every order's number, whatever its status, read from the database so
    /// nothing (a page size, a status filter) can hide one.
    private func numbers(of tenant: String) throws -> [String] {
        try app.withSQL { db in
            try db.query("SELECT number FROM orders.orders WHERE tenant_id = \(tenant) ORDER BY seq")
                .map { try $0.string("number") }
        }
    }

    private static func receipt(_ seq: Int) -> String { "B-" + String(repeating: "0", count: 6 - "\(seq)".count) + "\(seq)" }

    @Test func anOutOfStockAttemptBetweenTwoSalesLeavesNoGap() throws {
        let (tenant, token) = try app.tenantWithAdmin("gapless")
        let pie = try app.addMenuItem(tenant: tenant, token: token, name: "Pie", priceCents: 500, stock: 1)
        let tea = try app.addMenuItem(tenant: tenant, token: token, name: "Tea", priceCents: 200)

        let first = try app.placeOrder(tenant: tenant, token: token, items: [(tea, 1)])
        #expect(first.status == 201)
        let short = try app.placeOrder(tenant: tenant, token: token, items: [(pie, 2)])
        #expect(short.status == 409)
        #expect(short.code == "out_of_stock")
        let declined = try app.placeOrder(
            tenant: tenant, token: token, items: [(pie, 1)], method: "card", cardToken: "tok_declined")
        #expect(declined.status == 402)
        let second = try app.placeOrder(tenant: tenant, token: token, items: [(pie, 1)])
        #expect(second.status == 201)

        #expect(try first.decoded(Order.self).number == "B-000001")
        // A declined payment is kept as a record: it holds its number.
        #expect(declined.json["order_number"] as? String == "B-000002")
        #expect(try second.decoded(Order.self).number == "B-000003")
        #expect(try numbers(of: tenant) == ["B-000001", "B-000002", "B-000003"])
    }

    @Test func concurrentCheckoutsSomeOutOfStockNumberOneToKWithoutGapOrTwin() throws {
        let (tenant, token) = try app.tenantWithAdmin("gapless-race")
        let scarce = try app.addMenuItem(tenant: tenant, token: token, name: "Truffle", priceCents: 900, stock: 12)
        let plenty = try app.addMenuItem(tenant: tenant, token: token, name: "Water", priceCents: 100)
        let callers = 40
        // Half ask for the scarce item (12 can have it), half for one always available.
        let replies = ConcurrentCallers.collect(callers) { index in
            Result { try app.placeOrder(tenant: tenant, token: token, items: [(index % 2 == 0 ? scarce : plenty, 1)]) }
        }
        var placed: [String] = []
        var outOfStock = 0
        for case .success(let reply)? in replies {
            if reply.status == 201 {
                placed.append(try reply.decoded(Order.self).number)
            } else if reply.status == 409, reply.code == "out_of_stock" {
                outOfStock += 1
            }
        }
        #expect(placed.count + outOfStock == callers, "every checkout answered 201 or 409 out_of_stock")
        #expect(outOfStock == callers / 2 - 12)
        let stored = try numbers(of: tenant)
        #expect(stored.count == placed.count, "out-of-stock attempts leave no order behind")
        #expect(stored == (0..<stored.count).map { Self.receipt($0 + 1) }, "numbers 1…k, no gap")
        #expect(Set(placed).count == placed.count, "no number given twice")
        #expect(Set(placed) == Set(stored))
    }
}
