import Foundation
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
            let order = try #require(placed.json["id"] as? String)
            let payment = try #require(try app.onlyPayment(tenant: rig.tenant, token: rig.token, order: order)["id"] as? String)
            return (order, payment)
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
        let clientPayment = try #require(client.json["id"] as? String)
        // A checkout payment left pending while the processor was down; it is back now.
        rig.processor.behaviour = .unavailable
        let stuckPlaced = try app.placeCardOrder(
            tenant: rig.tenant, token: rig.token, item: item, idempotencyKey: "till-\(UUID().uuidString)")
        try #require(stuckPlaced.status == 202)
        let stuckOrder = try #require(stuckPlaced.json["id"] as? String)
        let stuckPayment = try #require(
            try app.onlyPayment(tenant: rig.tenant, token: rig.token, order: stuckOrder)["id"] as? String)
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
        #expect((try app.call("GET", "/admin/reconciliation", token: app.opsToken).json["sweeps"] as? [Any])?.isEmpty == true)

        // The sweep.
        let sweep = try app.runOps("/admin/reconciliation/run")
        #expect(sweep.status == 200)
        // Every captured or pending checkout payment; not the client's.
        #expect(sweep.json["examined"] as? Int == 5)
        let findings = sweep.json["findings"] as? [[String: Any]] ?? []
        #expect(findings.count == 3, "\(findings)")
        let byPayment = Dictionary(findings.map { ($0["payment_id"] as? String ?? "", $0) }, uniquingKeysWith: { a, _ in a })
        for orphan in [cancelled, absent] {
            #expect(byPayment[orphan.payment]?["found"] as? String == "captured_without_completed_order")
            #expect(byPayment[orphan.payment]?["action"] as? String == "refunded")
            #expect(byPayment[orphan.payment]?["order_id"] as? String == orphan.order)
            #expect(byPayment[orphan.payment]?["tenant"] as? String == rig.tenant)
        }
        #expect(byPayment[stuckPayment]?["found"] as? String == "pending_past_grace")
        #expect(byPayment[stuckPayment]?["action"] as? String == "captured")

        // The orphans: refunded once each at the processor, and said why.
        func payment(_ id: String) throws -> [String: Any] {
            try app.call("GET", "/api/v1/payments/\(id)", tenant: rig.tenant, token: rig.token).json
        }
        for orphan in [cancelled, absent] {
            let refunded = try payment(orphan.payment)
            #expect(refunded["status"] as? String == "refunded")
            let reference = try #require(refunded["processor_reference"] as? String)
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
            #expect(try payment(id)["status"] as? String == "captured", "payment \(id)")
        }
        #expect(try reconciled(app, held.payment), "a completed order's payment is confirmed once")
        #expect(try !reconciled(app, stillPending.payment))
        #expect(try !reconciled(app, clientPayment))
        #expect(try rig.order(held.order)["status"] as? String == "completed")
        #expect(try rig.order(stillPending.order)["status"] as? String == "pending")
        // The pending one was asked again with the token kept on its row, and captured.
        let asked = try payment(stuckPayment)
        #expect(asked["status"] as? String == "captured")
        #expect(asked["processor_reference"] as? String == rig.processor.charge(key: stuckPayment))
        #expect(rig.processor.calls(key: stuckPayment) == 2)
        #expect(try rig.order(stuckOrder)["status"] as? String == "pending", "the sweep never settles orders")

        // Listed for operators.
        let listed = try app.call("GET", "/admin/reconciliation", token: app.opsToken)
        #expect(listed.status == 200)
        let sweeps = listed.json["sweeps"] as? [[String: Any]] ?? []
        #expect(sweeps.count == 1)
        #expect(sweeps.first?["id"] as? String == sweep.json["id"] as? String)
        #expect((sweeps.first?["findings"] as? [[String: Any]])?.count == 3)

        // A second sweep refunds nothing more, and skips the confirmed payment:
        // it looks only at the two payments whose orders are still pending.
        let second = try app.runOps("/admin/reconciliation/run")
        #expect(second.json["examined"] as? Int == 2)
        #expect((second.json["findings"] as? [Any])?.isEmpty == true)
        #expect(rig.processor.totalRefunds == 2)
        let both = try app.call("GET", "/admin/reconciliation", token: app.opsToken).json["sweeps"] as? [[String: Any]]
        #expect(both?.map { $0["id"] as? String } == [second.json["id"] as? String, sweep.json["id"] as? String])

        // Recovery settles the stuck checkout from its captured payment; the
        // next sweep confirms it is held, and still refunds nothing.
        #expect(try app.runOps("/admin/recovery/run").json["settled"] as? Int == 1)
        #expect(try rig.order(stuckOrder)["status"] as? String == "completed")
        #expect(rig.processor.chargeCount == 6, "five checkouts and the client's charge, each charged once")
        let third = try app.runOps("/admin/reconciliation/run")
        #expect((third.json["findings"] as? [Any])?.isEmpty == true)
        #expect(try reconciled(app, stuckPayment))
        #expect(rig.processor.totalRefunds == 2)
        #expect(try app.runOps("/admin/reconciliation/run").json["examined"] as? Int == 1, "only the pending order's payment is left")
    }

    private func reconciled(_ app: TestGateway, _ payment: String) throws -> Bool {
        try app.withSQL { db in
            try db.query("SELECT reconciled_at IS NOT NULL AS done FROM payments.payments WHERE id = \(payment)::uuid")
                .first?.bool("done") ?? false
        }
    }
}
