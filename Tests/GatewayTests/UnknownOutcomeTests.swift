import BanyanTestSupport
import Foundation
import InventoryAPI
import OrdersAPI
import PaymentsAPI
import Testing

/// Unknown is not "no": a card charge whose outcome the checkout cannot see
/// leaves the order pending with its stock held (202 with the order and its
/// Location), and never compensates; the order settles from the next
/// definite answer, asked with the same keys, by a retry with the same
/// Idempotency-Key or by recovery. Only a definite answer compensates at
/// once. Each case runs with the tenant's payments in-process and routed to
/// a real payments-service, against a processor the test scripts.
@Suite(.serialized) struct UnknownOutcomeTests {
    enum Outcome: String, Sendable, CustomTestStringConvertible {
        /// The processor answers 503: nothing charged, nothing known.
        case processorUnavailable = "processor unavailable"
        /// The processor charges, but answers after Payments stopped
        /// waiting for it (its processor timeout).
        case processorLate = "processor answers after its timeout"
        /// The charge is sent and its caller stops waiting before the
        /// answer: on the service path the gateway→payments-service timeout
        /// (shorter than the processor's latency), in-process the request's
        /// deadline, which caps the processor call.
        case callerGaveUp = "caller gives up after sending"

        var testDescription: String { rawValue }
    }

    enum Settle: String, Sendable, CustomTestStringConvertible {
        /// The client retries POST /api/v1/orders with the same Idempotency-Key.
        case retry
        /// POST /admin/recovery/run.
        case recovery
        var testDescription: String { rawValue }
    }

    /// Each outcome on each path, each path settled both ways.
    static let cases: [(Outcome, SagaRig.Path, Settle)] = [
        (.processorUnavailable, .inProcess, .recovery), (.processorUnavailable, .service, .retry),
        (.processorLate, .inProcess, .retry), (.processorLate, .service, .recovery),
        (.callerGaveUp, .inProcess, .recovery), (.callerGaveUp, .service, .retry),
    ]

    @Test(arguments: cases)
    func anUnknownOutcomeHoldsTheCheckoutUntilADefiniteAnswer(
        _ outcome: Outcome, _ path: SagaRig.Path, _ settle: Settle
    ) throws {
        let rig: SagaRig
        switch outcome {
        case .processorUnavailable:
            rig = try SagaRig(path: path)
            rig.processor.behaviour = .unavailable
        case .processorLate:
            rig = try SagaRig(path: path, processorTimeout: 1)
            rig.processor.behaviour = .late(3)
        case .callerGaveUp:
            rig = path == .inProcess
                ? try SagaRig(path: path, processorTimeout: 8, requestTimeout: 2)
                : try SagaRig(path: path, processorTimeout: 8, serviceTimeout: 1.5)
            rig.processor.behaviour = .late(4)
        }
        defer { rig.stop() }
        let key = "till-\(UUID().uuidString)"

        // Held: 202 with the pending order, its Location, and when to ask again.
        let placed = try rig.place(key: key)
        #expect(placed.status == 202, "\(placed.status) \(placed.code ?? "")\(rig.serviceLog)")
        let pending = try placed.decoded(Order.self)
        let orderID = pending.id
        #expect(placed.header("location") == "/api/v1/orders/\(orderID)")
        #expect(placed.header("retry-after") != nil)
        #expect(placed.header("x-banyan-route")?.contains("payments=\(path.rawValue)") == true)
        #expect(pending.status == .pending)
        #expect(pending.paymentStatus == "pending")
        let held = try rig.order(orderID)
        #expect(held.status == .pending)
        #expect(held.paymentStatus == "pending")
        #expect(held.failureCode == nil)
        let reservedStock = try rig.stock()
        #expect(reservedStock.quantity == SagaRig.stock - 1, "the stock stays held")
        #expect(reservedStock.reserved == 1, "the stock stays held")

        // Asked once, charged at most once (a late processor did take the money).
        let payment = try rig.app.onlyPayment(tenant: rig.tenant, token: rig.token, order: orderID)
        let paymentKey = payment.id
        if !(outcome == .callerGaveUp && path == .service) {
            // (There the service still waits on the processor and may record the capture any moment.)
            #expect(payment.status == .pending)
        }
        #expect(rig.processor.calls(key: paymentKey) == 1)
        #expect(rig.processor.chargeCount == (outcome == .processorUnavailable ? 0 : 1))

        // A retry while the processor is still down asks it again with the
        // same key, and holds again.
        var asked = 1
        if outcome == .processorUnavailable {
            let again = try rig.place(key: key)
            #expect(again.status == 202)
            let heldAgain = try again.decoded(Order.self)
            #expect(heldAgain.id == orderID)
            #expect(heldAgain.paymentStatus == "pending")
            asked = 2
            #expect(rig.processor.calls(key: paymentKey) == asked)
            #expect(rig.processor.chargeCount == 0)
            #expect(try rig.stock().reserved == 1)
        }

        // The processor heals, and whatever was still waiting on it answers.
        rig.processor.heal()
        #expect(rig.processor.waitForInFlight(0, within: 15))
        if outcome == .callerGaveUp && path == .service {
            // The service got its answer after the gateway left: the payment is captured.
            #expect(
                try rig.app.eventually(within: 15) {
                    try rig.app.onlyPayment(tenant: rig.tenant, token: rig.token, order: orderID).status == .captured
                }, "the service never recorded the late answer\(rig.serviceLog)")
        }

        switch settle {
        case .retry:
            let retried = try rig.place(key: key)
            #expect(retried.status == 201, "\(retried.status) \(retried.code ?? "")\(rig.serviceLog)")
            let completed = try retried.decoded(Order.self)
            #expect(completed.id == orderID)
            #expect(completed.status == .completed)
        case .recovery:
            let pass = try rig.app.runOps("/admin/recovery/run")
            #expect(pass.status == 200)
            #expect(try pass.decoded(RecoveryPass.self).settled == 1, "\(pass.json)\(rig.serviceLog)")
        }

        // Settled from the definite answer: completed, one charge, stock sold.
        let settled = try rig.order(orderID)
        #expect(settled.status == .completed)
        #expect(settled.paymentStatus == "captured")
        let captured = try rig.app.onlyPayment(tenant: rig.tenant, token: rig.token, order: orderID)
        #expect(captured.status == .captured)
        #expect(captured.processorReference == rig.processor.charge(key: paymentKey))
        #expect(rig.processor.chargeCount == 1, "exactly one charge at the processor")
        // Asked once more with the same key (and answered with the first
        // charge), except where the service itself heard the late answer.
        #expect(rig.processor.calls(key: paymentKey) == (outcome == .callerGaveUp && path == .service ? asked : asked + 1))
        let sold = try rig.stock()
        #expect(sold.quantity == SagaRig.stock - 1)
        #expect(sold.reserved == 0)

        // Nothing is left for recovery, and asking again changes nothing.
        #expect(try rig.app.runOps("/admin/recovery/run").decoded(RecoveryPass.self).settled == 0)
        #expect(try rig.place(key: key).status == 201)
        #expect(rig.processor.chargeCount == 1)
    }

    /// A twin of a charge still in progress: the first request holds the
    /// payment row while the processor works; its claim runs out under it
    /// (a stalled process outliving its lease), and a retry with the same
    /// Idempotency-Key takes the checkout over and charges with the same
    /// key. Payments turns it away (`charge_in_progress`) without asking the
    /// processor, and the twin holds the order instead of compensating; the
    /// first request then settles it from the processor's answer.
    @Test(arguments: SagaRig.Path.allCases)
    func aTwinOfAChargeInProgressHoldsTheOrder(_ path: SagaRig.Path) throws {
        // Generous timeouts: the first request must still be waiting when the processor answers.
        let rig = try SagaRig(path: path, processorTimeout: 25, requestTimeout: 25, serviceTimeout: 25)
        defer { rig.stop() }
        rig.processor.behaviour = .held
        let key = "till-\(UUID().uuidString)"
        let first = Background { try rig.place(key: key, waiting: 30) }
        try #require(rig.processor.waitForInFlight(1, within: 15), "the first charge never reached the processor\(rig.serviceLog)")

        let (orderID, placing) = try rig.app.withSQL { db in
            let row = try #require(
                try db.query("SELECT id::text AS id, claimed_by FROM orders.orders WHERE idempotency_key = \(key)").first)
            return (try row.string("id"), try row.optionalString("claimed_by"))
        }
        let placingClaim = try rig.app.claim(order: orderID)
        #expect(placingClaim.live, "the placing request holds a live claim")
        #expect(placing?.hasPrefix("request:") == true)
        #expect(placingClaim.paymentStatus == nil)
        let paymentKey = try rig.app.onlyPayment(tenant: rig.tenant, token: rig.token, order: orderID).id

        // The first request's lease runs out under it.
        _ = try rig.app.withSQL { db in
            try db.execute("UPDATE orders.orders SET claimed_until = now() - interval '1 second' WHERE id = \(orderID)::uuid")
        }
        let twin = try rig.place(key: key, waiting: 30)
        #expect(twin.status == 202, "\(twin.status) \(twin.code ?? "")\(rig.serviceLog)")
        let twinHeld = try twin.decoded(Order.self)
        #expect(twinHeld.id == orderID)
        #expect(twinHeld.status == .pending)
        // payment_status is set only by holding on an unknown charge outcome:
        // the twin charged, and was told a twin was in progress.
        #expect(twinHeld.paymentStatus == "pending")
        let twinClaim = try rig.app.claim(order: orderID)
        #expect(twinClaim.claimant != placing && twinClaim.claimant?.hasPrefix("request:") == true, "the twin took the claim over")
        #expect(rig.processor.calls(key: paymentKey) == 1, "the twin never reached the processor")
        #expect(rig.processor.inFlight == 1)
        #expect(try rig.stock().reserved == 1, "not compensated: the stock stays held")

        // The processor answers the first charge: the first request completes the order.
        rig.processor.heal()
        let answered = try first.value(within: 30)
        #expect(answered.status == 201, "\(answered.status) \(answered.code ?? "")\(rig.serviceLog)")
        let completed = try answered.decoded(Order.self)
        #expect(completed.id == orderID)
        #expect(completed.status == .completed)
        #expect(completed.paymentStatus == "captured")
        #expect(rig.processor.calls(key: paymentKey) == 1)
        #expect(rig.processor.chargeCount == 1)
        let sold = try rig.stock()
        #expect(sold.quantity == SagaRig.stock - 1)
        #expect(sold.reserved == 0)
        #expect(try rig.app.runOps("/admin/recovery/run").decoded(RecoveryPass.self).settled == 0)
        #expect(try rig.order(orderID).status == .completed)
    }

    /// A decline is definite: the stock comes back and the order fails at once.
    @Test(arguments: SagaRig.Path.allCases)
    func aDeclineStillCompensatesAtOnce(_ path: SagaRig.Path) throws {
        let rig = try SagaRig(path: path)
        defer { rig.stop() }
        let declined = try rig.place(key: "till-\(UUID().uuidString)", cardToken: "tok_declined")
        #expect(declined.status == 402, "\(declined.status) \(declined.code ?? "")\(rig.serviceLog)")
        #expect(declined.code == "card_declined")
        let orderID = try #require(declined.json["order_id"] as? String)
        let order = try rig.order(orderID)
        #expect(order.status == .paymentFailed)
        #expect(order.failureCode == "card_declined")
        let stock = try rig.stock()
        #expect(stock.quantity == SagaRig.stock)
        #expect(stock.reserved == 0)
        #expect(rig.processor.totalCalls == 1)
        #expect(rig.processor.chargeCount == 0)
        #expect(try rig.app.runOps("/admin/recovery/run").decoded(RecoveryPass.self).settled == 0)
    }

    /// A payments-service that refuses the connection never got the charge:
    /// nothing can have been taken, so the checkout is undone at once
    /// (503 with `"reached": false`) instead of holding the stock.
    @Test func aRefusedConnectionToPaymentsServiceCompensatesAtOnce() throws {
        let rig = try SagaRig(path: .inProcess)
        defer { rig.stop() }
        let deadPort = try RefusingPort()
        defer { deadPort.close() }
        try rig.app.routePayments(of: [rig.tenant], to: "http://127.0.0.1:\(deadPort.port)")
        let refused = try rig.place(key: "till-\(UUID().uuidString)")
        #expect(refused.status == 503)
        #expect(refused.code == "module_unavailable")
        #expect(refused.json["reached"] as? Bool == false)
        let orders = try rig.app.call("GET", "/api/v1/orders", tenant: rig.tenant, token: rig.token).decoded(OrderPage.self)
        #expect(orders.total == 1)
        let order = try #require(orders.orders.first)
        #expect(order.status == .cancelled)
        #expect(order.failureCode == "module_unavailable")
        let stock = try rig.stock()
        #expect(stock.quantity == SagaRig.stock)
        #expect(stock.reserved == 0)
        #expect(rig.processor.totalCalls == 0)
    }
}
