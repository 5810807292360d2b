import Foundation
import HTTPServer
import Payments
import PaymentsAPI
import Platform
import Security
import Testing

@testable import Gateway

/// `/api/v1/payments` through the gateway's own pipeline (walls, routing,
/// problem mapping), without a socket: the composition root is not ours.
@Suite struct PaymentsRoutesTests {
    let signer = JWTSigner(secret: SecureRandom.bytes(32))

    func responder(_ service: PaymentsService) -> GatewayResponder {
        GatewayResponder(
            router: Router(PaymentRoutes.routes(payments: service)),
            authentication: EdgeAuthentication(signer: signer, opsToken: SecureRandom.bytes(16)), log: .discard)
    }

    func send(
        _ responder: GatewayResponder, _ method: String, _ target: String, role: Role = .cashier,
        tenant: String = "t-pay-a", json: String? = nil, idempotencyKey: String? = nil
    ) -> (status: Int, body: [String: Any]) {
        let now = Int(Date().timeIntervalSince1970)
        let token = signer.sign(
            JWTClaims(
                subject: "u1", tenant: tenant, role: role.rawValue, username: "sam", issuedAt: now,
                expiresAt: now + 600))
        var headers = HTTPHeaders([("x-tenant-id", tenant), ("authorization", "Bearer " + token)])
        if json != nil { headers.add("content-type", "application/json") }
        if let idempotencyKey { headers.add("idempotency-key", idempotencyKey) }
        let parts = target.split(separator: "?", maxSplits: 1).map(String.init)
        let response = responder.respond(
            to: HTTPRequest(
                method: method, target: target, path: parts[0], query: parts.count > 1 ? parts[1] : "",
                headers: headers, body: Array((json ?? "").utf8)))
        let body = (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any] ?? [:]
        return (response.status, body)
    }

    @Test func processChargesOnceAndReplaysTheSamePayment() throws {
        let fixture = try PaymentsFixture()
        defer { fixture.shutdown() }
        let gateway = responder(fixture.service)
        let body = #"{"amount_cents":1250,"currency":"EUR","method":"card","token":"tok_visa","order_id":"o-1"}"#
        let first = send(gateway, "POST", "/api/v1/payments/process", json: body, idempotencyKey: "http-1")
        #expect(first.status == 201)
        #expect(first.body["status"] as? String == "captured")
        #expect(first.body["amount_cents"] as? Int == 1250)
        let id = try #require(first.body["id"] as? String)

        let replay = send(gateway, "POST", "/api/v1/payments/process", json: body, idempotencyKey: "http-1")
        #expect(replay.status == 201)
        #expect(replay.body["id"] as? String == id)
        #expect(fixture.processor.authorizationCount == 1)

        let fetched = send(gateway, "GET", "/api/v1/payments/\(id)")
        #expect(fetched.status == 200)
        #expect(fetched.body["id"] as? String == id)
        let listed = send(gateway, "GET", "/api/v1/payments?order_id=o-1")
        #expect(listed.status == 200)
        #expect((listed.body["payments"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == [id])

        let reused = send(
            gateway, "POST", "/api/v1/payments/process",
            json: #"{"amount_cents":999,"currency":"EUR","method":"card","token":"tok_visa","order_id":"o-1"}"#,
            idempotencyKey: "http-1")
        #expect(reused.status == 409)
        #expect(reused.body["code"] as? String == "idempotency_key_reused")
    }

    @Test func processNeedsTheIdempotencyKeyHeader() throws {
        let fixture = try PaymentsFixture()
        defer { fixture.shutdown() }
        let reply = send(
            responder(fixture.service), "POST", "/api/v1/payments/process",
            json: #"{"amount_cents":100,"currency":"EUR","method":"cash"}"#)
        #expect(reply.status == 422)
        #expect(reply.body["code"] as? String == "validation_failed")
        #expect((reply.body["detail"] as? String)?.hasPrefix("Idempotency-Key") == true)
        #expect(try fixture.paymentRowCount() == 0)
    }

    @Test func declineAnswers402WithTheDeclineCode() throws {
        let fixture = try PaymentsFixture()
        defer { fixture.shutdown() }
        let gateway = responder(fixture.service)
        let body = #"{"amount_cents":100,"currency":"EUR","method":"card","token":"tok_insufficient_funds"}"#
        for _ in 0..<2 {
            let reply = send(gateway, "POST", "/api/v1/payments/process", json: body, idempotencyKey: "http-d")
            #expect(reply.status == 402)
            #expect(reply.body["code"] as? String == "insufficient_funds")
        }
        #expect(fixture.processor.authorizationCount == 1)
    }

    @Test func listNeedsOrderIDAndBadInputNamesTheField() throws {
        let fixture = try PaymentsFixture()
        defer { fixture.shutdown() }
        let gateway = responder(fixture.service)
        let list = send(gateway, "GET", "/api/v1/payments")
        #expect(list.status == 422)
        #expect((list.body["detail"] as? String)?.hasPrefix("order_id") == true)
        let method = send(
            gateway, "POST", "/api/v1/payments/process", json: #"{"amount_cents":100,"currency":"EUR","method":"gold"}"#,
            idempotencyKey: "k")
        #expect(method.status == 422)
        #expect((method.body["detail"] as? String)?.hasPrefix("method") == true)
        let amount = send(
            gateway, "POST", "/api/v1/payments/process", json: #"{"amount_cents":-5,"currency":"EUR","method":"cash"}"#,
            idempotencyKey: "k")
        #expect(amount.status == 422)
        #expect((amount.body["detail"] as? String)?.hasPrefix("amount_cents") == true)
        #expect(send(gateway, "GET", "/api/v1/payments/not-a-uuid").status == 404)
    }

    @Test func refundIsForManagersAndOtherTenantsSeeNothing() throws {
        let fixture = try PaymentsFixture()
        defer { fixture.shutdown() }
        let gateway = responder(fixture.service)
        let charged = send(
            gateway, "POST", "/api/v1/payments/process", json: #"{"amount_cents":700,"currency":"EUR","method":"cash"}"#,
            idempotencyKey: "http-r")
        let id = try #require(charged.body["id"] as? String)

        let byCashier = send(gateway, "POST", "/api/v1/payments/\(id)/refund")
        #expect(byCashier.status == 403)
        let byOtherTenant = send(gateway, "POST", "/api/v1/payments/\(id)/refund", role: .admin, tenant: "t-pay-b")
        #expect(byOtherTenant.status == 404)
        #expect(send(gateway, "GET", "/api/v1/payments/\(id)", tenant: "t-pay-b").status == 404)

        let refunded = send(
            gateway, "POST", "/api/v1/payments/\(id)/refund", role: .manager, json: #"{"reason":"wrong table"}"#)
        #expect(refunded.status == 200)
        #expect(refunded.body["status"] as? String == "refunded")
        let again = send(gateway, "POST", "/api/v1/payments/\(id)/refund", role: .manager)
        #expect(again.status == 409)
        #expect(again.body["code"] as? String == "already_refunded")
    }
}
