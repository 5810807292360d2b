import Foundation
import Gateway
import Payments
import Testing

/// Checkout recovery in many processes at once: two gateways on one
/// database run recovery together, and each pending checkout is taken over
/// by exactly one of them (its claim is a conditional UPDATE), charged once
/// and settled once. A checkout whose request still holds a live claim is
/// not touched.
@Suite(.serialized) struct RecoveryClaimTests {
    static let pending = 16
    static let stock = 40

    /// Two nodes of one deployment, recovery by hand only, one processor.
    struct Nodes {
        let processor: ScriptedProcessor
        let first: TestGateway
        let second: TestGateway

        init() throws {
            processor = try ScriptedProcessor()
            let recovery = CheckoutRecovery.Options(grace: 0, interval: 3600)
            let reconciliation = Reconciliation.Options(interval: 3600, grace: 3600)
            first = try TestGateway(
                cardProcessor: HTTPCardProcessor(baseURL: processor.url, timeout: 8), recovery: recovery,
                reconciliation: reconciliation)
            second = try TestGateway(
                sameDatabaseAs: first, cardProcessor: HTTPCardProcessor(baseURL: processor.url, timeout: 8),
                recovery: recovery, reconciliation: reconciliation)
        }
    }

    @Test func twoRecoverersSettleEachPendingCheckoutExactlyOnce() throws {
        let nodes = try Nodes()
        defer { nodes.processor.stop() }
        let app = nodes.first
        let (tenant, token) = try app.tenantWithAdmin("recover")
        let item = try app.addMenuItem(tenant: tenant, token: token, name: "Ramen", priceCents: 1300, stock: Self.stock)

        // N checkouts held on an unavailable processor; their claims ran out when they were held.
        nodes.processor.behaviour = .unavailable
        var orders: [String] = []
        for number in 0..<Self.pending {
            let placed = try app.placeCardOrder(tenant: tenant, token: token, item: item, idempotencyKey: "till-\(number)-\(UUID())")
            #expect(placed.status == 202)
            orders.append(try #require(placed.json["id"] as? String))
        }
        for order in orders {
            let claim = try app.claim(order: order)
            #expect(!claim.live, "a held checkout's claim has run out (grace 0)")
        }
        let keys = try orders.map { order in
            try #require(try app.onlyPayment(tenant: tenant, token: token, order: order)["id"] as? String)
        }
        #expect(keys.allSatisfy { nodes.processor.calls(key: $0) == 1 })
        #expect(try app.stock(tenant: tenant, token: token, item: item).reserved == Self.pending)

        // Healed, a little slow, so the two passes overlap; both start at once.
        nodes.processor.behaviour = .late(0.05)
        let barrier = Barrier(parties: 2)
        let passes = [nodes.first, nodes.second].map { node in
            Background { () -> Int in
                barrier.arriveAndWait()
                let reply = try node.runOps("/admin/recovery/run", waiting: 120)
                guard reply.status == 200, let settled = reply.json["settled"] as? Int else {
                    throw TestFailure("recovery pass: \(reply.status) \(reply.code ?? "")")
                }
                return settled
            }
        }
        let settled = try passes.map { try $0.value(within: 120) }

        // Each checkout was taken over by one recoverer only: settled once in all.
        #expect(settled.reduce(0, +) == Self.pending, "settled per node: \(settled)")
        for (order, key) in zip(orders, keys) {
            let read = try app.call("GET", "/api/v1/orders/\(order)", tenant: tenant, token: token).json
            #expect(read["status"] as? String == "completed")
            #expect(read["payment_status"] as? String == "captured")
            // Once before the processor healed, once by the one recoverer.
            #expect(nodes.processor.calls(key: key) == 2, "order \(order)")
            #expect(nodes.processor.charge(key: key) != nil)
        }
        #expect(nodes.processor.chargeCount == Self.pending)
        let stock = try app.stock(tenant: tenant, token: token, item: item)
        #expect(stock.quantity == Self.stock - Self.pending)
        #expect(stock.reserved == 0)
        // And nothing is left for either.
        #expect(try nodes.second.runOps("/admin/recovery/run").json["settled"] as? Int == 0)
        #expect(try nodes.first.runOps("/admin/recovery/run").json["settled"] as? Int == 0)
    }

    /// A checkout its placing request is still working on (held at the
    /// processor, claim live) is left alone by recovery on either node.
    @Test func recoveryLeavesACheckoutWhoseRequestStillHoldsItsClaim() throws {
        let nodes = try Nodes()
        defer { nodes.processor.stop() }
        let app = nodes.first
        let (tenant, token) = try app.tenantWithAdmin("live-claim")
        let item = try app.addMenuItem(tenant: tenant, token: token, name: "Gyoza", priceCents: 700, stock: 3)
        nodes.processor.behaviour = .held
        let key = "till-\(UUID().uuidString)"
        let placing = Background { try app.placeCardOrder(tenant: tenant, token: token, item: item, idempotencyKey: key) }
        try #require(nodes.processor.waitForInFlight(1, within: 15))
        let orderID = try app.withSQL { db in
            try #require(try db.query("SELECT id::text AS id FROM orders.orders WHERE idempotency_key = \(key)").first)
                .string("id")
        }
        let before = try app.claim(order: orderID)
        #expect(before.live)

        #expect(try nodes.second.runOps("/admin/recovery/run").json["settled"] as? Int == 0)
        #expect(try nodes.first.runOps("/admin/recovery/run").json["settled"] as? Int == 0)
        let after = try app.claim(order: orderID)
        #expect(after.claimant == before.claimant, "recovery took a live claim")
        #expect(after.live)
        #expect(after.paymentStatus == nil, "recovery never held it (it never charged)")
        let paymentKey = try #require(try app.onlyPayment(tenant: tenant, token: token, order: orderID)["id"] as? String)
        #expect(nodes.processor.calls(key: paymentKey) == 1)

        nodes.processor.heal()
        let placed = try placing.value(within: 30)
        #expect(placed.status == 201)
        #expect(placed.json["status"] as? String == "completed")
        #expect(nodes.processor.calls(key: paymentKey) == 1)
        #expect(nodes.processor.chargeCount == 1)
        let stock = try app.stock(tenant: tenant, token: token, item: item)
        #expect(stock.quantity == 2)
        #expect(stock.reserved == 0)
    }
}

/// Lets `parties` threads start together.
final class Barrier: @unchecked Sendable {
    // @unchecked: `arrived` is only touched while `condition` is locked.
    private let condition = NSCondition()
    private let parties: Int
    private var arrived = 0

    init(parties: Int) { self.parties = parties }

    /// Waits (at most 30 s) until every party has arrived.
    func arriveAndWait() {
        condition.lock()
        arrived += 1
        if arrived >= parties { condition.broadcast() }
        let deadline = Date(timeIntervalSinceNow: 30)
        while arrived < parties, condition.wait(until: deadline) {}
        condition.unlock()
    }
}
