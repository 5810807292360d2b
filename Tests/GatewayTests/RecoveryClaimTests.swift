import Foundation
import Gateway
import InventoryAPI
import OrdersAPI
import Payments
import PaymentsAPI
import Testing

/// Checkout recovery in many processes at once: two gateways on one
/// database run recovery together, and each pending checkout is taken over
/// by exactly one of them (its claim is a conditional UPDATE), charged once
/// and settled once. A checkout whose request still holds a live claim is
/// not touched.
@Suite(.serialized) final class RecoveryClaimTests {
    static let pending = 16
    static let stock = 40

    // Each test's own: two nodes of one deployment, recovery by hand only, one processor.
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

    deinit { processor.stop() }

    @Test func twoRecoverersSettleEachPendingCheckoutExactlyOnce() throws {
        let app = first
        let (tenant, token) = try app.tenantWithAdmin("recover")
        let item = try app.addMenuItem(tenant: tenant, token: token, name: "Ramen", priceCents: 1300, stock: Self.stock)

        // N checkouts held on an unavailable processor; their claims ran out when they were held.
        processor.behaviour = .unavailable
        var orders: [String] = []
        for number in 0..<Self.pending {
            let placed = try app.placeCardOrder(tenant: tenant, token: token, item: item, idempotencyKey: "till-\(number)-\(UUID())")
            #expect(placed.status == 202)
            orders.append(try placed.decoded(Order.self).id)
        }
        for order in orders {
            let claim = try app.claim(order: order)
            #expect(!claim.live, "a held checkout's claim has run out (grace 0)")
        }
        let keys = try orders.map { try app.onlyPayment(tenant: tenant, token: token, order: $0).id }
        #expect(keys.allSatisfy { processor.calls(key: $0) == 1 })
        #expect(try app.stock(tenant: tenant, token: token, item: item).reserved == Self.pending)

        // Healed, a little slow, so the two passes overlap; both start at once.
        processor.behaviour = .late(0.05)
        let barrier = Barrier(parties: 2)
        let passes = [first, second].map { node in
            Background { () -> Int in
                barrier.arriveAndWait()
                return try node.runOps("/admin/recovery/run", waiting: 120).decoded(RecoveryPass.self).settled
            }
        }
        let settled = try passes.map { try $0.value(within: 120) }

        // Each checkout was taken over by one recoverer only: settled once in all.
        #expect(settled.reduce(0, +) == Self.pending, "settled per node: \(settled)")
        for (order, key) in zip(orders, keys) {
            let read = try app.call("GET", "/api/v1/orders/\(order)", tenant: tenant, token: token).decoded(Order.self)
            #expect(read.status == .completed)
            #expect(read.paymentStatus == "captured")
            // Once before the processor healed, once by the one recoverer.
            #expect(processor.calls(key: key) == 2, "order \(order)")
            #expect(processor.charge(key: key) != nil)
        }
        #expect(processor.chargeCount == Self.pending)
        let stock = try app.stock(tenant: tenant, token: token, item: item)
        #expect(stock.quantity == Self.stock - Self.pending)
        #expect(stock.reserved == 0)
        // And nothing is left for either.
        #expect(try second.runOps("/admin/recovery/run").decoded(RecoveryPass.self).settled == 0)
        #expect(try first.runOps("/admin/recovery/run").decoded(RecoveryPass.self).settled == 0)
    }

    /// A checkout its placing request is still working on (held at the
    /// processor, claim live) is left alone by recovery on either node.
    @Test func recoveryLeavesACheckoutWhoseRequestStillHoldsItsClaim() throws {
        let app = first
        let (tenant, token) = try app.tenantWithAdmin("live-claim")
        let item = try app.addMenuItem(tenant: tenant, token: token, name: "Gyoza", priceCents: 700, stock: 3)
        processor.behaviour = .held
        let key = "till-\(UUID().uuidString)"
        let placing = Background { try app.placeCardOrder(tenant: tenant, token: token, item: item, idempotencyKey: key) }
        try #require(processor.waitForInFlight(1, within: 15))
        let orderID = try app.withSQL { db in
            try #require(try db.query("SELECT id::text AS id FROM orders.orders WHERE idempotency_key = \(key)").first)
                .string("id")
        }
        let before = try app.claim(order: orderID)
        #expect(before.live)

        #expect(try second.runOps("/admin/recovery/run").decoded(RecoveryPass.self).settled == 0)
        #expect(try first.runOps("/admin/recovery/run").decoded(RecoveryPass.self).settled == 0)
        let after = try app.claim(order: orderID)
        #expect(after.claimant == before.claimant, "recovery took a live claim")
        #expect(after.live)
        #expect(after.paymentStatus == nil, "recovery never held it (it never charged)")
        let paymentKey = try app.onlyPayment(tenant: tenant, token: token, order: orderID).id
        #expect(processor.calls(key: paymentKey) == 1)

        processor.heal()
        let placed = try placing.value(within: 30)
        #expect(placed.status == 201)
        #expect(try placed.decoded(Order.self).status == .completed)
        #expect(processor.calls(key: paymentKey) == 1)
        #expect(processor.chargeCount == 1)
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
