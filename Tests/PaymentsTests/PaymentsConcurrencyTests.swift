import BanyanTestSupport
import Foundation
import Payments
import PaymentsAPI
import Platform
import Synchronization
import Testing

/// Many callers, one idempotency key: one row, one processor call.
@Suite struct PaymentsConcurrencyTests {
    @Test func twentyConcurrentChargesWithOneKeyChargeOnce() throws {
        let callers = 20
        // The first charge to reach the processor is held there until every
        // other caller has answered, so they all meet it in flight. The
        // deadline only bounds a broken implementation (callers that queue
        // on the lock instead of answering at once); it then fails below.
        let answered = Atomic<Int>(0)
        let processor = PaymentsCountingProcessor(beforeAuthorize: {
            let deadline = ContinuousClock.now + .seconds(10)
            while answered.load(ordering: .sequentiallyConsistent) < callers - 1, ContinuousClock.now < deadline {
                Thread.sleep(forTimeInterval: 0.005)
            }
        })
        try PaymentsFixture.with(processor: processor, poolSize: 8) { fixture in
            let service = fixture.service
            let context = PaymentsFixture.context()
            let request = ChargeRequest(
                idempotencyKey: "same-key", amountCents: 3100, currency: "EUR", method: .card, token: "tok_visa",
                orderID: "order-1")

            let results = ConcurrentCallers.collect(callers) { _ in
                let result = Result { try service.charge(context, request) }
                answered.add(1, ordering: .sequentiallyConsistent)
                return result
            }

            var payments: [Payment] = []
            var inProgress = 0
            for result in results {
                switch try #require(result) {
                case .success(let payment): payments.append(payment)
                case .failure(let error):
                    #expect(error as? PaymentsError == .chargeInProgress, "unexpected \(error)")
                    inProgress += 1
                }
            }
            #expect(payments.count == 1)
            #expect(inProgress == callers - 1)
            #expect(Set(payments.map(\.id)).count == 1)
            #expect(payments.allSatisfy { $0.status == .captured })
            #expect(processor.authorizationCount == 1)
            #expect(try fixture.paymentRowCount() == 1)

            // Once settled, a retry by any of them gets the one payment, still charged once.
            let settled = try service.charge(context, request)
            #expect(settled.id == payments.first?.id)
            #expect(processor.authorizationCount == 1)
            #expect(try fixture.outboxPaymentIDs("PaymentCaptured") == [settled.id])
        }
    }

    @Test func concurrentChargesWithDistinctKeysAllSucceed() throws {
        try PaymentsFixture.with(poolSize: 8) { fixture in
            let service = fixture.service
            let context = PaymentsFixture.context()
            let results = ConcurrentCallers.collect(16) { index in
                Result {
                    try service.charge(
                        context,
                        ChargeRequest(
                            idempotencyKey: "key-\(index)", amountCents: 100, currency: "EUR",
                            method: index.isMultiple(of: 2) ? .cash : .card, token: "tok_visa"))
                }
            }
            let ids = try results.map { try #require($0).get().id }
            #expect(Set(ids).count == 16)
            #expect(fixture.processor.authorizationCount == 8)
            #expect(try fixture.paymentRowCount() == 16)
        }
    }
}
