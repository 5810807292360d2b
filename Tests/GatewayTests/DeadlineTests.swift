import Facade
import Foundation
import HTTPClient
import InventoryAPI
import OrdersAPI
import Payments
import PaymentsAPI
import Platform
import Testing

/// Every /api/v1 request has a deadline, and nothing works past it: not the
/// gateway's wait on a service, not the service's wait on the card
/// processor. The processor here answers after 3 s while the request may
/// take 1 s and every other timeout is 5 s, so only the deadline can end
/// the wait at 1 s.
@Suite(.serialized) struct DeadlineTests {
    static let requestTimeout = 1.0
    static let processorDelay = 3.0
    /// What the answer may take beyond the deadline: settling the order as
    /// pending (one transaction) and a loaded machine's scheduling.
    static let answerBound = 2.5
    /// What the service's own handling may take beyond the deadline: the
    /// rollback of its charge transaction and writing the reply.
    static let serviceMargin = 0.3

    @Test func aRoutedCheckoutAnswersPendingAtTheDeadlineAndTheServiceStopsThere() throws {
        let processor = try ScriptedProcessor()
        processor.behaviour = .late(Self.processorDelay)
        defer { processor.stop() }
        let app = try TestGateway(requestTimeout: Self.requestTimeout)
        let service = try ServiceProcess.start(
            "payments-service", beside: app,
            environment: ["PAYMENT_GATEWAY_URL": processor.url, "BANYAN_PROCESSOR_TIMEOUT_MS": "5000"])
        defer { service.stop() }
        let (tenant, token) = try app.tenantWithAdmin("deadline-svc")
        let item = try app.addMenuItem(tenant: tenant, token: token, name: "Tart", priceCents: 450, stock: 5)
        try app.routePayments(of: [tenant], to: service.url)

        let started = Date()
        let reply = try app.placeOrder(tenant: tenant, token: token, items: [(item, 2)], method: "card", cardToken: "tok_visa")
        let elapsed = Date().timeIntervalSince(started)

        #expect(reply.status == 202, "\(reply.status) \(reply.code ?? "")")
        #expect(elapsed < Self.answerBound, "answered after \(elapsed) s")
        #expect(reply.header("x-banyan-route")?.contains("payments=service") == true)
        let pending = try reply.decoded(Order.self)
        #expect(pending.status == .pending)
        #expect(pending.paymentStatus == "pending")
        // The service did ask the processor: the wait was real, not a refusal.
        #expect(processor.totalCalls == 1)
        // Unknown is not no: the stock stays held for whoever settles the order.
        #expect(try app.stock(tenant: tenant, token: token, item: item).reserved == 2)

        // The service's own log line for the charge (written when it answered)
        // shows it gave up at the caller's deadline, not at the processor's 3 s.
        let requestID = try #require(reply.header("x-request-id"))
        var charge: [String: Any]?
        _ = app.eventually(within: Self.processorDelay + 5) {
            charge = service.loggedCalls(of: "payments.charge", requestID: requestID).first
            return charge != nil
        }
        let line = try #require(charge, "no payments.charge line for \(requestID); payments-service log:\n\(service.log)")
        let worked = (line["duration_ms"] as? Double ?? .infinity) / 1000
        #expect(
            worked <= Self.requestTimeout + Self.serviceMargin,
            "payments-service worked \(worked) s on a call with \(Self.requestTimeout) s to go")
        #expect((line["status"] as? Int).map { !(200...299).contains($0) } == true, "nothing can be captured in time")
    }

    @Test func anInProcessCheckoutNeverWaitsOnTheProcessorPastTheDeadline() throws {
        let processor = try ScriptedProcessor()
        processor.behaviour = .late(Self.processorDelay)
        defer { processor.stop() }
        let app = try TestGateway(
            cardProcessor: HTTPCardProcessor(baseURL: processor.url, timeout: 5), requestTimeout: Self.requestTimeout)
        let (tenant, token) = try app.tenantWithAdmin("deadline-local")
        let item = try app.addMenuItem(tenant: tenant, token: token, name: "Tart", priceCents: 450, stock: 5)

        let started = Date()
        let reply = try app.placeOrder(tenant: tenant, token: token, items: [(item, 2)], method: "card", cardToken: "tok_visa")
        let elapsed = Date().timeIntervalSince(started)

        #expect(reply.status == 202, "\(reply.status) \(reply.code ?? "")")
        #expect(elapsed < Self.answerBound, "answered after \(elapsed) s")
        #expect(reply.header("x-banyan-route")?.contains("payments=in-process") == true)
        let pending = try reply.decoded(Order.self)
        #expect(pending.paymentStatus == "pending")
        #expect(processor.totalCalls == 1)
        #expect(try app.payments(tenant: tenant, token: token, order: pending.id).map(\.status) == [.pending])
        #expect(try app.stock(tenant: tenant, token: token, item: item).reserved == 2)
    }

    /// A call that arrives after its caller's deadline is refused before
    /// Payments sees it: no payment row, no processor call. The same call
    /// with time left goes through, so the checks below can see a charge.
    @Test func aCallArrivingAfterItsDeadlineIsRefusedWithoutTouchingAnything() throws {
        let processor = try ScriptedProcessor()
        defer { processor.stop() }
        let app = try TestGateway()
        let service = try ServiceProcess.start(
            "payments-service", beside: app, environment: ["PAYMENT_GATEWAY_URL": processor.url])
        defer { service.stop() }
        let (tenant, token) = try app.tenantWithAdmin("deadline-late")
        let issuer = ServiceTokenIssuer(secret: app.serviceSecret)

        func charge(order: String, deadline: Date, requestID: String) throws -> TestGateway.Reply {
            let body = Array(
                #"{"idempotency_key":"late-\#(order)","amount_cents":500,"currency":"USD","method":"card","token":"tok_visa","order_id":"\#(order)"}"#
                    .utf8)
            let context = CallContext(
                tenant: try #require(TenantID(tenant)), userID: "user-1", role: .manager, requestID: requestID)
            let reply = try HTTPClient.shared.send(
                method: "POST", url: service.url + "/operations/payments.charge",
                headers: [
                    ("content-type", "application/json"),
                    ("authorization", "Bearer " + issuer.token(module: "payments", operation: "payments.charge", body: body, context: context)),
                    ("x-tenant-id", tenant), ("x-user-id", "user-1"), ("x-role", "manager"), ("x-request-id", requestID),
                    ("x-deadline", String(Int64((deadline.timeIntervalSince1970 * 1000).rounded()))),
                ],
                body: body)
            return TestGateway.Reply(status: reply.status, headers: reply.headers, body: reply.body)
        }

        let late = UUID().uuidString.lowercased()
        let refused = try charge(order: late, deadline: Date(timeIntervalSinceNow: -1), requestID: "late-\(late)")
        #expect(refused.status == 504)
        #expect(refused.code == "deadline_exceeded")

        let onTime = UUID().uuidString.lowercased()
        let served = try charge(order: onTime, deadline: Date(timeIntervalSinceNow: 5), requestID: "on-time-\(onTime)")
        #expect(served.status == 200, "\(served.status) \(served.code ?? "")")
        #expect(try served.decoded(Payment.self).status == .captured)

        // The processor saw the call with time left and only that one.
        #expect(processor.totalCalls == 1)
        #expect(try app.payments(tenant: tenant, token: token, order: late).isEmpty)
        #expect(try app.payments(tenant: tenant, token: token, order: onTime).map(\.status) == [.captured])
        #expect(
            app.eventually(within: 5) {
                service.loggedCalls(of: "payments.charge", requestID: "late-\(late)").first?["status"] as? Int == 504
            }, "payments-service log:\n\(service.log)")
    }
}

extension ServiceProcess {
    /// The service's request log lines for `operation` under the caller's `requestID`.
    func loggedCalls(of operation: String, requestID: String) -> [[String: Any]] {
        log.split(separator: "\n").compactMap { line in
            guard let entry = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                entry["msg"] as? String == "request", entry["operation"] as? String == operation,
                entry["request_id"] as? String == requestID
            else { return nil }
            return entry
        }
    }
}
