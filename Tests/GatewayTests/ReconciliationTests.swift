import Foundation
import OrdersAPI
import PaymentsAPI
import Testing

/// Payments reconciliation refunds only orphans: a captured checkout payment
/// (key `order:…`) that no completed order holds — its order cancelled or
/// gone — is refunded with reason `reconciliation`; one a completed order
/// holds is confirmed once and never looked at again; one whose order is
/// still pending is the saga's; a client's own charge is not Banyan's to
/// judge; and a payment left pending past its grace is asked about again.
@Suite(.serialized) struct ReconciliationTests {
    @Test func aSweepRefundsOnlyCapturedCheckoutPaymentsNoCompletedOrderHolds() throws {
        let rig = try SagaRig(path: .inProcess, reconciliationGrace: 0)
        defer { rig.stop() }
        let app = rig.app
        let item = try app.addMenuItem(tenant: rig.tenant, token: rig.token, name: "Tagine", priceCents: 2100, stock: 20)

        /// A real checkout, completed: (order id, payment id).
        func checkout() throws -> (order: String, payment: String) {
            let placed = try app.placeCardOrder(
                tenant: rig.tenant, token: rig.token, item: item, idempotencyKey: "till-\(UUID().uuidString)")
            try #require(placed.status == 201, "\(placed.status) \(placed.code ?? "")")
            let order = try placed.decoded(Order.self).id
            return (order, try app.onlyPayment(tenant: rig.tenant, token: rig.token, order: order).id)
        }
        let cancelled = try checkout()
        let absent = try checkout()
        let held = try checkout()
        let stillPending = try checkout()
        // What an interrupted compensation (or the bug before it) leaves: a
        // captured payment whose order reads cancelled, or is gone; and one
        // whose order another process is still settling.
        _ = try app.withSQL { db in
            try db.execute(
                "UPDATE orders.orders SET status = 'cancelled', failure_code = 'interrupted' WHERE id = \(cancelled.order)::uuid")
            try db.execute("DELETE FROM orders.orders WHERE id = \(absent.order)::uuid")
            try db.execute(
                """
                UPDATE orders.orders
                SET status = 'pending', payment_status = 'pending', claimed_by = 'request:elsewhere',
                    claimed_until = now() + interval '1 hour'
                WHERE id = \(stillPending.order)::uuid
                """)
        }
        // A client's own charge under its own key, with no order.
        let client = try app.call(
            "POST", "/api/v1/payments/process", tenant: rig.tenant, token: rig.token,
            json: ["amount_cents": 900, "currency": "USD", "method": "card", "token": "tok_visa"],
            headers: [("idempotency-key", "client-\(UUID().uuidString)")])
        try #require(client.status == 201)
        let clientPayment = try client.decoded(Payment.self).id
        // A checkout payment left pending while the processor was down; it is back now.
        rig.processor.behaviour = .unavailable
        let stuckPlaced = try app.placeCardOrder(
            tenant: rig.tenant, token: rig.token, item: item, idempotencyKey: "till-\(UUID().uuidString)")
        try #require(stuckPlaced.status == 202)
        let stuckOrder = try stuckPlaced.decoded(Order.self).id
        let stuckPayment = try app.onlyPayment(tenant: rig.tenant, token: rig.token, order: stuckOrder).id
        rig.processor.heal()
        #expect(rig.processor.calls(key: stuckPayment) == 1)

        // Only operators may look or act.
        for (method, path) in [
            ("GET", "/admin/reconciliation"), ("POST", "/admin/reconciliation/run"), ("POST", "/admin/recovery/run"),
        ] {
            #expect(try app.call(method, path).status == 401, "\(method) \(path) without a token")
            #expect(try app.call(method, path, token: "not-the-ops-token").status == 401, "\(method) \(path)")
            #expect(try app.call(method, path, tenant: rig.tenant, token: rig.token).status == 401, "\(method) \(path) as a user")
        }
        #expect(rig.processor.totalRefunds == 0)
        #expect(try app.call("GET", "/admin/reconciliation", token: app.opsToken).decoded(SweepList.self).sweeps.isEmpty)

        // The sweep.
        let sweepReply = try app.runOps("/admin/reconciliation/run")
        #expect(sweepReply.status == 200)
        let sweep = try sweepReply.decoded(ReconciliationSweep.self)
        // Every captured or pending checkout payment; not the client's.
        #expect(sweep.examined == 5)
        #expect(sweep.findings.count == 3, "\(sweep.findings)")
        let byPayment = Dictionary(sweep.findings.map { ($0.paymentID, $0) }, uniquingKeysWith: { a, _ in a })
        for orphan in [cancelled, absent] {
            #expect(
                byPayment[orphan.payment]
                    == ReconciliationFinding(
                        tenant: rig.tenant, paymentID: orphan.payment, orderID: orphan.order,
                        found: .capturedWithoutCompletedOrder, action: .refunded))
        }
        #expect(byPayment[stuckPayment]?.found == .pendingPastGrace)
        #expect(byPayment[stuckPayment]?.action == .captured)

        // The orphans: refunded once each at the processor, and said why.
        func payment(_ id: String) throws -> Payment {
            try app.call("GET", "/api/v1/payments/\(id)", tenant: rig.tenant, token: rig.token).decoded()
        }
        for orphan in [cancelled, absent] {
            let refunded = try payment(orphan.payment)
            #expect(refunded.status == .refunded)
            let reference = try #require(refunded.processorReference)
            #expect(rig.processor.refunds(of: reference) == 1)
        }
        #expect(rig.processor.totalRefunds == 2)
        let refundEvents = try app.withSQL { db in
            try db.query(
                """
                SELECT payload->>'payment_id' AS payment_id, payload->>'reason' AS reason FROM payments.outbox
                WHERE event_type = 'PaymentRefunded' ORDER BY id
                """
            ).map { "\(try $0.string("payment_id")) \(try $0.optionalString("reason") ?? "-")" }
        }
        #expect(Set(refundEvents) == ["\(cancelled.payment) reconciliation", "\(absent.payment) reconciliation"])
        #expect(refundEvents.count == 2)

        // Untouched: held by a completed order (and now confirmed), held by a
        // pending order, the client's own.
        for id in [held.payment, stillPending.payment, clientPayment] {
            #expect(try payment(id).status == .captured, "payment \(id)")
        }
        #expect(try reconciled(app, held.payment), "a completed order's payment is confirmed once")
        #expect(try !reconciled(app, stillPending.payment))
        #expect(try !reconciled(app, clientPayment))
        #expect(try rig.order(held.order).status == .completed)
        #expect(try rig.order(stillPending.order).status == .pending)
        // The pending one was asked again with the token kept on its row, and captured.
        let asked = try payment(stuckPayment)
        #expect(asked.status == .captured)
        #expect(asked.processorReference == rig.processor.charge(key: stuckPayment))
        #expect(rig.processor.calls(key: stuckPayment) == 2)
        #expect(try rig.order(stuckOrder).status == .pending, "the sweep never settles orders")

        // Listed for operators.
        let listed = try app.call("GET", "/admin/reconciliation", token: app.opsToken)
        #expect(listed.status == 200)
        let sweeps = try listed.decoded(SweepList.self).sweeps
        #expect(sweeps.count == 1)
        #expect(sweeps.first?.id == sweep.id)
        #expect(sweeps.first?.findings.count == 3)

        // A second sweep refunds nothing more, and skips the confirmed payment:
        // it looks only at the two payments whose orders are still pending.
        let second = try app.runOps("/admin/reconciliation/run").decoded(ReconciliationSweep.self)
        #expect(second.examined == 2)
        #expect(second.findings.isEmpty)
        #expect(rig.processor.totalRefunds == 2)
        let both = try app.call("GET", "/admin/reconciliation", token: app.opsToken).decoded(SweepList.self).sweeps
        #expect(both.map(\.id) == [second.id, sweep.id])

        // Recovery settles the stuck checkout from its captured payment; the
        // next sweep confirms it is held, and still refunds nothing.
        #expect(try app.runOps("/admin/recovery/run").decoded(RecoveryPass.self).settled == 1)
        #expect(try rig.order(stuckOrder).status == .completed)
        #expect(rig.processor.chargeCount == 6, "five checkouts and the client's charge, each charged once")
        let third = try app.runOps("/admin/reconciliation/run").decoded(ReconciliationSweep.self)
        #expect(third.findings.isEmpty)
        #expect(try reconciled(app, stuckPayment))
        #expect(rig.processor.totalRefunds == 2)
        #expect(
            try app.runOps("/admin/reconciliation/run").decoded(ReconciliationSweep.self).examined == 1,
            "only the pending order's payment is left")
    }

    private func reconciled(_ app: TestGateway, _ payment: String) throws -> Bool {
        try app.withSQL { db in
            try db.query("SELECT reconciled_at IS NOT NULL AS done FROM payments.payments WHERE id = \(payment)::uuid")
                .first?.bool("done") ?? false
        }
    }
}
