import Facade
import Foundation

// The contract sample of each type the Payments operations carry, written
// once: every optional field set, so every key a provider may send is in the
// contract's shapes and its fingerprint (see `ContractSample`).

extension Payment: ContractSample {
    public static let contractSample = Payment(
        id: "00000000-0000-0000-0000-000000000001", orderID: "00000000-0000-0000-0000-000000000002",
        amountCents: 1250, currency: "USD", method: .card, status: .captured, idempotencyKey: "order:1",
        processorReference: "sim_1", failureCode: "card_declined", createdAt: Date(timeIntervalSince1970: 0),
        refundedAt: Date(timeIntervalSince1970: 0))
}

extension ChargeRequest: ContractSample {
    public static let contractSample = ChargeRequest(
        idempotencyKey: "order:1", amountCents: 1250, currency: "USD", method: .card, token: "tok_visa",
        orderID: "00000000-0000-0000-0000-000000000002")
}

extension RefundRequest: ContractSample {
    public static let contractSample = RefundRequest(paymentID: Payment.contractSample.id, reason: "order cancelled")
}

extension PaymentReference: ContractSample {
    public static let contractSample = PaymentReference(id: Payment.contractSample.id)
}

extension OrderReference: ContractSample {
    public static let contractSample = OrderReference(orderID: "00000000-0000-0000-0000-000000000002")
}

extension IdempotencyKeyReference: ContractSample {
    public static let contractSample = IdempotencyKeyReference(idempotencyKey: "order:1")
}
