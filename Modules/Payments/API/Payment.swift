import Foundation

public enum PaymentMethod: String, Codable, Sendable, CaseIterable {
    case cash, card
}

/// A charge attempt and what became of it.
public struct Payment: Codable, Sendable, Equatable {
    public enum Status: String, Codable, Sendable, CaseIterable {
        /// Recorded, processor not yet answered (a crash here is finished by a retry with the same key).
        case pending
        case captured
        case declined
        case refunded
    }

    public var id: String
    public var orderID: String?
    public var amountCents: Int64
    public var currency: String
    public var method: PaymentMethod
    public var status: Status
    public var idempotencyKey: String
    /// The processor's reference for card payments.
    public var processorReference: String?
    /// For `declined`: the processor's reason code, e.g. `card_declined`.
    public var failureCode: String?
    public var createdAt: Date
    public var refundedAt: Date?

    public init(
        id: String, orderID: String?, amountCents: Int64, currency: String, method: PaymentMethod, status: Status,
        idempotencyKey: String, processorReference: String?, failureCode: String?, createdAt: Date, refundedAt: Date?
    ) {
        self.id = id
        self.orderID = orderID
        self.amountCents = amountCents
        self.currency = currency
        self.method = method
        self.status = status
        self.idempotencyKey = idempotencyKey
        self.processorReference = processorReference
        self.failureCode = failureCode
        self.createdAt = createdAt
        self.refundedAt = refundedAt
    }

    enum CodingKeys: String, CodingKey {
        case id, currency, method, status
        case orderID = "order_id"
        case amountCents = "amount_cents"
        case idempotencyKey = "idempotency_key"
        case processorReference = "processor_reference"
        case failureCode = "failure_code"
        case createdAt = "created_at"
        case refundedAt = "refunded_at"
    }
}
