import Foundation
import Payments
import PaymentsAPI
import Platform
import Testing

/// `PaymentsFacade.charge` against real PostgreSQL: success, declines,
/// idempotent replays, crash recovery, validation.
///
/// A test that needs a processor of its own is static: it makes no suite
/// instance, so no suite fixture is made only to go unused.
@Suite final class PaymentsChargeTests {
    let fixture: PaymentsFixture
    let context = PaymentsFixture.context()

    init() throws { fixture = try PaymentsFixture() }
    deinit { fixture.shutdown() }

    @Test func cashIsCapturedWithoutTheProcessor() throws {
        let payment = try fixture.service.charge(
            context, ChargeRequest(idempotencyKey: "cash-1", amountCents: 1250, currency: "EUR", method: .cash,
                                   orderID: "order-1"))
        #expect(payment.status == .captured)
        #expect(payment.method == .cash)
        #expect(payment.amountCents == 1250)
        #expect(payment.currency == "EUR")
        #expect(payment.orderID == "order-1")
        #expect(payment.idempotencyKey == "cash-1")
        #expect(payment.processorReference == nil)
        #expect(UUID(uuidString: payment.id) != nil)
        #expect(fixture.processor.authorizationCount == 0)
        #expect(try fixture.outboxPaymentIDs("PaymentCaptured") == [payment.id])
        #expect(try fixture.service.payment(context, id: payment.id) == payment)
    }

    @Test(arguments: ["tok_visa", "tok_mastercard", "tok_amex"])
    func cardIsCapturedThroughTheProcessor(token: String) throws {
        let payment = try fixture.service.charge(
            context, ChargeRequest(idempotencyKey: "card-1", amountCents: 990, currency: "USD", method: .card,
                                   token: token))
        #expect(payment.status == .captured)
        #expect(payment.processorReference?.hasPrefix("sim_") == true)
        // The processor is asked under the payment id: stable across retries, unique across tenants.
        #expect(fixture.processor.authorizationKeys.withLock { $0 } == [payment.id])
        #expect(try fixture.outboxPaymentIDs("PaymentCaptured") == [payment.id])
        #expect(try fixture.service.payment(context, idempotencyKey: "card-1") == payment)
    }

    @Test(arguments: [
        ("tok_declined", PaymentsError.cardDeclined),
        ("tok_insufficient_funds", PaymentsError.insufficientFunds),
        ("tok_unknown_card", PaymentsError.cardDeclined),
    ])
    func declineIsTypedRecordedAndNotCaptured(token: String, expected: PaymentsError) throws {
        let request = ChargeRequest(
            idempotencyKey: "decline-1", amountCents: 500, currency: "EUR", method: .card, token: token,
            orderID: "order-9")
        let error = #expect(throws: PaymentsError.self) { try fixture.service.charge(context, request) }
        #expect(error == expected)
        #expect(error?.isDecline == true)
        #expect(error?.problem.status == 402)

        let recorded = try #require(try fixture.service.payment(context, idempotencyKey: "decline-1"))
        #expect(recorded.status == .declined)
        #expect(recorded.failureCode == expected.code)
        #expect(try fixture.outboxPaymentIDs("PaymentCaptured").isEmpty)

        // A replay throws the same decline without asking the processor again.
        let replayed = #expect(throws: PaymentsError.self) { try fixture.service.charge(context, request) }
        #expect(replayed == expected)
        #expect(fixture.processor.authorizationCount == 1)
        #expect(try fixture.paymentRowCount() == 1)
    }

    @Test(arguments: [PaymentMethod.cash, .card])
    func replayReturnsTheSamePaymentAndChargesOnce(method: PaymentMethod) throws {
        let request = ChargeRequest(
            idempotencyKey: "replay-1", amountCents: 2000, currency: "EUR", method: method,
            token: method == .card ? "tok_visa" : nil, orderID: "order-2")
        let first = try fixture.service.charge(context, request)
        let second = try fixture.service.charge(context, request)
        let third = try fixture.service.charge(context, request)
        #expect(second == first)
        #expect(third == first)
        #expect(fixture.processor.authorizationCount == (method == .card ? 1 : 0))
        #expect(try fixture.paymentRowCount() == 1)
        #expect(try fixture.outboxPaymentIDs("PaymentCaptured") == [first.id])
    }

    @Test func sameKeyForADifferentChargeIsKeyReused() throws {
        let original = ChargeRequest(
            idempotencyKey: "reuse-1", amountCents: 1000, currency: "EUR", method: .card, token: "tok_visa",
            orderID: "order-3")
        let payment = try fixture.service.charge(context, original)
        let variants: [ChargeRequest] = [
            ChargeRequest(idempotencyKey: "reuse-1", amountCents: 1001, currency: "EUR", method: .card, token: "tok_visa", orderID: "order-3"),
            ChargeRequest(idempotencyKey: "reuse-1", amountCents: 1000, currency: "USD", method: .card, token: "tok_visa", orderID: "order-3"),
            ChargeRequest(idempotencyKey: "reuse-1", amountCents: 1000, currency: "EUR", method: .cash, orderID: "order-3"),
            ChargeRequest(idempotencyKey: "reuse-1", amountCents: 1000, currency: "EUR", method: .card, token: "tok_visa", orderID: "order-4"),
        ]
        for variant in variants {
            let error = #expect(throws: PaymentsError.self) { try fixture.service.charge(context, variant) }
            #expect(error == .keyReused)
            #expect(error?.problem.status == 409)
        }
        #expect(try fixture.service.payment(context, id: payment.id) == payment)
        #expect(fixture.processor.authorizationCount == 1)
    }

    @Test func pendingRowLeftByACrashIsFinishedByARetryWithTheSameKey() throws {
        let id = try fixture.insertPendingCardCharge(key: "crash-1", amountCents: 4200)
        #expect(try fixture.service.payment(context, idempotencyKey: "crash-1")?.status == .pending)

        let payment = try fixture.service.charge(
            context, ChargeRequest(idempotencyKey: "crash-1", amountCents: 4200, currency: "EUR", method: .card,
                                   token: "tok_visa"))
        #expect(payment.id == id)
        #expect(payment.status == .captured)
        #expect(fixture.processor.authorizationKeys.withLock { $0 } == [id])
        #expect(try fixture.outboxPaymentIDs("PaymentCaptured") == [id])
        #expect(try fixture.paymentRowCount() == 1)
    }

    @Test static func unavailableProcessorLeavesThePaymentPendingUntilARetry() throws {
        try PaymentsFixture.with(processor: PaymentsCountingProcessor(unavailableAuthorizations: 1)) { fixture in
            let context = PaymentsFixture.context()
            let request = ChargeRequest(
                idempotencyKey: "flaky-1", amountCents: 700, currency: "EUR", method: .card, token: "tok_visa")
            let error = #expect(throws: PaymentsError.self) { try fixture.service.charge(context, request) }
            #expect(error == .processorUnavailable)
            let pending = try #require(try fixture.service.payment(context, idempotencyKey: "flaky-1"))
            #expect(pending.status == .pending)
            #expect(try fixture.outboxPaymentIDs("PaymentCaptured").isEmpty)

            let payment = try fixture.service.charge(context, request)
            #expect(payment.id == pending.id)
            #expect(payment.status == .captured)
            // Both attempts used the same processor key, so the processor could dedupe them.
            #expect(fixture.processor.authorizationKeys.withLock { $0 } == [pending.id, pending.id])
        }
    }

    @Test func paymentsOfAnOrderAreNewestFirst() throws {
        _ = try? fixture.service.charge(
            context, ChargeRequest(idempotencyKey: "o-1", amountCents: 300, currency: "EUR", method: .card,
                                   token: "tok_declined", orderID: "order-7"))
        let captured = try fixture.service.charge(
            context, ChargeRequest(idempotencyKey: "o-2", amountCents: 300, currency: "EUR", method: .cash,
                                   orderID: "order-7"))
        _ = try fixture.service.charge(
            context, ChargeRequest(idempotencyKey: "o-3", amountCents: 300, currency: "EUR", method: .cash,
                                   orderID: "order-other"))
        let list = try fixture.service.payments(context, orderID: "order-7")
        #expect(list.map(\.idempotencyKey) == ["o-2", "o-1"])
        #expect(list.first == captured)
        #expect(try fixture.service.payments(context, orderID: "order-none").isEmpty)
    }

    @Test func unknownOrMalformedIDsAreNotFound() throws {
        for id in [UUID().uuidString, "not-a-uuid", "", "'; DROP TABLE payments.payments; --"] {
            let error = #expect(throws: PaymentsError.self) { try fixture.service.payment(context, id: id) }
            #expect(error == .paymentNotFound)
        }
        #expect(try fixture.service.payment(context, idempotencyKey: "never-used") == nil)
    }

    @Test(arguments: [
        (ChargeRequest(idempotencyKey: "k", amountCents: -100, currency: "EUR", method: .cash), "amount_cents"),
        (ChargeRequest(idempotencyKey: "k", amountCents: 0, currency: "EUR", method: .cash), "amount_cents"),
        (ChargeRequest(idempotencyKey: "k", amountCents: 100_000_001, currency: "EUR", method: .cash), "amount_cents"),
        (ChargeRequest(idempotencyKey: "k", amountCents: 100, currency: "eur", method: .cash), "currency"),
        (ChargeRequest(idempotencyKey: "k", amountCents: 100, currency: "EURO", method: .cash), "currency"),
        (ChargeRequest(idempotencyKey: "k", amountCents: 100, currency: "EUR", method: .card), "token"),
        (ChargeRequest(idempotencyKey: "k", amountCents: 100, currency: "EUR", method: .card, token: ""), "token"),
        (ChargeRequest(idempotencyKey: "", amountCents: 100, currency: "EUR", method: .cash), "idempotency_key"),
        (ChargeRequest(idempotencyKey: String(repeating: "k", count: 201), amountCents: 100, currency: "EUR", method: .cash), "idempotency_key"),
        (ChargeRequest(idempotencyKey: "tab\tkey", amountCents: 100, currency: "EUR", method: .cash), "idempotency_key"),
        (ChargeRequest(idempotencyKey: "k", amountCents: 100, currency: "EUR", method: .cash, orderID: ""), "order_id"),
    ])
    func invalidInputNamesTheFieldAndWritesNothing(request: ChargeRequest, field: String) throws {
        let error = #expect(throws: PaymentsError.self) { try fixture.service.charge(context, request) }
        #expect(error == .invalidInput(field: field, reason: ""))
        #expect(error?.detail.hasPrefix(field + ":") == true)
        #expect(error?.problem.status == 422)
        #expect(try fixture.paymentRowCount() == 0)
        #expect(fixture.processor.authorizationCount == 0)
    }

    @Test func anonymousCallerCannotCharge() throws {
        let anonymous = CallContext(tenant: TenantID("t-pay-a")!, requestID: "test")
        #expect(throws: AccessDenied.self) {
            try fixture.service.charge(
                anonymous, ChargeRequest(idempotencyKey: "k", amountCents: 100, currency: "EUR", method: .cash))
        }
        #expect(try fixture.paymentRowCount() == 0)
    }
}
