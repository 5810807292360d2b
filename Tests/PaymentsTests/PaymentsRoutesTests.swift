import GatewayTestSupport
import BanyanTestSupport
import Foundation
import Payments
import PaymentsAPI
import Platform
import Testing

@testable import Gateway

/// `/api/v1/payments` through the gateway's own pipeline (walls, routing,
/// problem mapping), without a socket: the composition root is not ours.
@Suite final class PaymentsRoutesTests {
    let fixture: PaymentsFixture
    let gateway: RouteHarness

    init() throws {
        fixture = try PaymentsFixture()
        gateway = RouteHarness(PaymentRoutes.routes(payments: fixture.service), tenant: "t-pay-a", role: .cashier)
    }

    deinit { fixture.shutdown() }

    @Test func processChargesOnceAndReplaysTheSamePayment() throws {
        let body = #"{"amount_cents":1250,"currency":"EUR","method":"card","token":"tok_visa","order_id":"o-1"}"#
        let first = gateway.send(
            "POST", "/api/v1/payments/process", json: body, headers: [("idempotency-key", "http-1")])
        #expect(first.status == 201)
        let payment = try first.decoded(Payment.self)
        #expect(payment.status == .captured)
        #expect(payment.amountCents == 1250)

        let replay = gateway.send(
            "POST", "/api/v1/payments/process", json: body, headers: [("idempotency-key", "http-1")])
        #expect(replay.status == 201)
        #expect(try replay.decoded(Payment.self) == payment)
        #expect(fixture.processor.authorizationCount == 1)

        let fetched = gateway.send("GET", "/api/v1/payments/\(payment.id)")
        #expect(fetched.status == 200)
        #expect(try fetched.decoded(Payment.self) == payment)
        let listed = gateway.send("GET", "/api/v1/payments?order_id=o-1")
        #expect(listed.status == 200)
        #expect(try listed.decoded(PaymentRoutes.PaymentList.self).payments.map(\.id) == [payment.id])

        let reused = gateway.send(
            "POST", "/api/v1/payments/process",
            json: #"{"amount_cents":999,"currency":"EUR","method":"card","token":"tok_visa","order_id":"o-1"}"#,
            headers: [("idempotency-key", "http-1")])
        #expect(reused.status == 409)
        #expect(reused.code == "idempotency_key_reused")
    }

    @Test func processNeedsTheIdempotencyKeyHeader() throws {
        let reply = gateway.send(
            "POST", "/api/v1/payments/process",
            json: #"{"amount_cents":100,"currency":"EUR","method":"cash"}"#)
        #expect(reply.status == 422)
        #expect(reply.code == "validation_failed")
        #expect(reply.detail?.hasPrefix("Idempotency-Key") == true)
        #expect(try fixture.paymentRowCount() == 0)
    }

    @Test func declineAnswers402WithTheDeclineCode() throws {
        let body = #"{"amount_cents":100,"currency":"EUR","method":"card","token":"tok_insufficient_funds"}"#
        for _ in 0..<2 {
            let reply = gateway.send(
                "POST", "/api/v1/payments/process", json: body, headers: [("idempotency-key", "http-d")])
            #expect(reply.status == 402)
            #expect(reply.code == "insufficient_funds")
        }
        #expect(fixture.processor.authorizationCount == 1)
    }

    @Test func listNeedsOrderIDAndBadInputNamesTheField() throws {
        let list = gateway.send("GET", "/api/v1/payments")
        #expect(list.status == 400)
        #expect(list.code == "invalid_query")
        #expect(list.detail?.hasPrefix("order_id") == true)
        let method = gateway.send(
            "POST", "/api/v1/payments/process", json: #"{"amount_cents":100,"currency":"EUR","method":"gold"}"#,
            headers: [("idempotency-key", "k")])
        #expect(method.status == 422)
        #expect(method.detail?.hasPrefix("method") == true)
        let amount = gateway.send(
            "POST", "/api/v1/payments/process", json: #"{"amount_cents":-5,"currency":"EUR","method":"cash"}"#,
            headers: [("idempotency-key", "k")])
        #expect(amount.status == 422)
        #expect(amount.detail?.hasPrefix("amount_cents") == true)
        #expect(gateway.send("GET", "/api/v1/payments/not-a-uuid").status == 404)
    }

    @Test func refundIsForManagersAndOtherTenantsSeeNothing() throws {
        let charged = gateway.send(
            "POST", "/api/v1/payments/process", json: #"{"amount_cents":700,"currency":"EUR","method":"cash"}"#,
            headers: [("idempotency-key", "http-r")])
        let id = try charged.decoded(Payment.self).id

        let byCashier = gateway.send("POST", "/api/v1/payments/\(id)/refund")
        #expect(byCashier.status == 403)
        let byOtherTenant = gateway.send("POST", "/api/v1/payments/\(id)/refund", role: .admin, tenant: "t-pay-b")
        #expect(byOtherTenant.status == 404)
        #expect(gateway.send("GET", "/api/v1/payments/\(id)", tenant: "t-pay-b").status == 404)

        let refunded = gateway.send(
            "POST", "/api/v1/payments/\(id)/refund", role: .manager, json: #"{"reason":"wrong table"}"#)
        #expect(refunded.status == 200)
        #expect(try refunded.decoded(Payment.self).status == .refunded)
        let again = gateway.send("POST", "/api/v1/payments/\(id)/refund", role: .manager)
        #expect(again.status == 409)
        #expect(again.code == "already_refunded")
    }

    /// The gateway answers a body that does not decode as every service does
    /// (`ServiceHostTests`): 400 when it is not JSON, 422 naming the field
    /// when it is JSON of the wrong shape.
    @Test(arguments: [
        (#"{"amount_cents":100,"#, 400, "malformed_json", "The request body is not valid JSON."),
        (#"{"currency":"EUR","method":"cash"}"#, 422, "validation_failed", "amount_cents: is required"),
        (#"{"amount_cents":"100","currency":"EUR","method":"cash"}"#, 422, "validation_failed",
         "amount_cents: has the wrong type"),
        (#"{"amount_cents":100,"currency":"EUR","method":"cheque"}"#, 422, "validation_failed",
         "method: is not a valid value"),
        ("[]", 422, "validation_failed", "body: has the wrong type"),
    ])
    func aBodyThatDoesNotDecodeIsAnsweredAsAtEveryDoor(body: String, status: Int, code: String, detail: String) throws {
        let reply = gateway.send(
            "POST", "/api/v1/payments/process", json: body, headers: [("idempotency-key", "http-bad")])
        #expect(reply.status == status)
        #expect(reply.code == code)
        #expect(reply.detail == detail)
        #expect(try fixture.paymentRowCount() == 0)
    }
}
