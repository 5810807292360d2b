import BanyanTestSupport
import Foundation
import Payments
import PaymentsAPI
import Platform
import Testing

/// `PaymentsFacade.refund`: who may, what may be refunded, and only once.
///
/// A test that needs a bigger pool is static: it makes no suite instance,
/// so no suite fixture is made only to go unused.
@Suite final class PaymentsRefundTests {
    let fixture: PaymentsFixture
    let admin = PaymentsFixture.context()

    init() throws { fixture = try PaymentsFixture() }
    deinit { fixture.shutdown() }

    @Test func managerRefundsACardPaymentOnce() throws {
        let payment = try fixture.service.charge(
            admin, ChargeRequest(idempotencyKey: "r-1", amountCents: 1800, currency: "EUR", method: .card,
                                 token: "tok_visa", orderID: "order-1"))
        let manager = PaymentsFixture.context(role: .manager)
        let refunded = try fixture.service.refund(manager, RefundRequest(paymentID: payment.id, reason: "cold soup"))
        #expect(refunded.id == payment.id)
        #expect(refunded.status == .refunded)
        #expect(refunded.refundedAt != nil)
        #expect(refunded.processorReference == payment.processorReference)
        #expect(fixture.processor.refundKeys.withLock { $0 } == ["refund:" + payment.id])
        #expect(try fixture.outboxPaymentIDs("PaymentRefunded") == [payment.id])
        #expect(try fixture.service.payment(admin, id: payment.id) == refunded)

        let again = #expect(throws: PaymentsError.self) {
            try fixture.service.refund(manager, RefundRequest(paymentID: payment.id))
        }
        #expect(again == .alreadyRefunded)
        #expect(again?.problem.status == 409)
        #expect(fixture.processor.refundCount == 1)
        #expect(try fixture.outboxPaymentIDs("PaymentRefunded").count == 1)

        // Replaying the original charge shows the payment as it stands, and charges nothing.
        let replay = try fixture.service.charge(
            admin, ChargeRequest(idempotencyKey: "r-1", amountCents: 1800, currency: "EUR", method: .card,
                                 token: "tok_visa", orderID: "order-1"))
        #expect(replay == refunded)
        #expect(fixture.processor.authorizationCount == 1)
    }

    @Test func cashRefundNeedsNoProcessor() throws {
        let payment = try fixture.service.charge(
            admin, ChargeRequest(idempotencyKey: "r-cash", amountCents: 600, currency: "EUR", method: .cash))
        let refunded = try fixture.service.refund(admin, RefundRequest(paymentID: payment.id))
        #expect(refunded.status == .refunded)
        #expect(fixture.processor.refundCount == 0)
        #expect(try fixture.outboxPaymentIDs("PaymentRefunded") == [payment.id])
    }

    @Test func cashierMayNotRefund() throws {
        let payment = try fixture.service.charge(
            admin, ChargeRequest(idempotencyKey: "r-2", amountCents: 900, currency: "EUR", method: .cash))
        let cashier = PaymentsFixture.context(role: .cashier)
        let error = #expect(throws: AccessDenied.self) {
            try fixture.service.refund(cashier, RefundRequest(paymentID: payment.id))
        }
        #expect(error?.problem.status == 403)
        #expect(try fixture.service.payment(cashier, id: payment.id).status == .captured)
        #expect(try fixture.outboxPaymentIDs("PaymentRefunded").isEmpty)
    }

    @Test func declinedAndPendingPaymentsAreNotRefundable() throws {
        #expect(throws: PaymentsError.cardDeclined) {
            try fixture.service.charge(
                admin, ChargeRequest(idempotencyKey: "r-3", amountCents: 900, currency: "EUR", method: .card,
                                     token: "tok_declined"))
        }
        let declined = try #require(try fixture.service.payment(admin, idempotencyKey: "r-3"))
        let pendingID = try fixture.insertPendingCardCharge(key: "r-4", amountCents: 900)
        for id in [declined.id, pendingID] {
            let error = #expect(throws: PaymentsError.self) {
                try fixture.service.refund(admin, RefundRequest(paymentID: id))
            }
            #expect(error == .notRefundable)
        }
        #expect(fixture.processor.refundCount == 0)
        #expect(try fixture.service.payment(admin, id: pendingID).status == .pending)
    }

    @Test func unknownPaymentIsNotFound() throws {
        for id in [UUID().uuidString, "nope"] {
            #expect(throws: PaymentsError.paymentNotFound) {
                try fixture.service.refund(admin, RefundRequest(paymentID: id))
            }
        }
    }

    @Test static func concurrentRefundsRefundOnce() throws {
        try PaymentsFixture.with(poolSize: 8) { fixture in
            let context = PaymentsFixture.context()
            let payment = try fixture.service.charge(
                context, ChargeRequest(idempotencyKey: "r-5", amountCents: 2500, currency: "EUR", method: .card,
                                       token: "tok_visa"))
            let service = fixture.service
            let results = ConcurrentCallers.collect(10) { _ in
                Result { try service.refund(context, RefundRequest(paymentID: payment.id)) }
            }
            var refunded = 0
            var alreadyRefunded = 0
            for result in results {
                switch try #require(result) {
                case .success(let value):
                    #expect(value.status == .refunded)
                    refunded += 1
                case .failure(let error):
                    #expect(error as? PaymentsError == .alreadyRefunded)
                    alreadyRefunded += 1
                }
            }
            #expect(refunded == 1)
            #expect(alreadyRefunded == 9)
            #expect(fixture.processor.refundCount == 1)
            #expect(try fixture.outboxPaymentIDs("PaymentRefunded") == [payment.id])
        }
    }
}
