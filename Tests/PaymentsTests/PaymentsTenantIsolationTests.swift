import Foundation
import Payments
import PaymentsAPI
import Platform
import Testing

/// Another restaurant's payment answers exactly as if it did not exist.
@Suite final class PaymentsTenantIsolationTests {
    let fixture: PaymentsFixture

    init() throws { fixture = try PaymentsFixture() }
    deinit { fixture.shutdown() }

    @Test func tenantBCannotReadOrRefundTenantAPayments() throws {
        let tenantA = PaymentsFixture.context("t-pay-a")
        let tenantB = PaymentsFixture.context("t-pay-b")
        let request = ChargeRequest(
            idempotencyKey: "shared-key", amountCents: 1500, currency: "EUR", method: .card, token: "tok_visa",
            orderID: "order-1")
        let payment = try fixture.service.charge(tenantA, request)

        let read = #expect(throws: PaymentsError.self) { try fixture.service.payment(tenantB, id: payment.id) }
        #expect(read == .paymentNotFound)
        let refund = #expect(throws: PaymentsError.self) {
            try fixture.service.refund(tenantB, RefundRequest(paymentID: payment.id))
        }
        #expect(refund == .paymentNotFound)
        #expect(try fixture.service.payments(tenantB, orderID: "order-1").isEmpty)
        #expect(try fixture.service.payment(tenantB, idempotencyKey: "shared-key") == nil)

        // Keys are per restaurant: B's charge under A's key is its own, not a replay or a reuse.
        let other = try fixture.service.charge(
            tenantB, ChargeRequest(idempotencyKey: "shared-key", amountCents: 99, currency: "USD", method: .cash,
                                   orderID: "order-1"))
        #expect(other.id != payment.id)
        #expect(try fixture.service.payments(tenantB, orderID: "order-1") == [other])

        // A's payment is untouched and its events stay A's.
        #expect(try fixture.service.payment(tenantA, id: payment.id) == payment)
        #expect(try fixture.service.payments(tenantA, orderID: "order-1") == [payment])
        #expect(try fixture.outboxPaymentIDs("PaymentCaptured", tenant: "t-pay-a") == [payment.id])
        #expect(try fixture.outboxPaymentIDs("PaymentCaptured", tenant: "t-pay-b") == [other.id])
        #expect(try fixture.outboxPaymentIDs("PaymentRefunded", tenant: "t-pay-a").isEmpty)
    }
}
