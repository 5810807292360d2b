/// Take money. `idempotencyKey` is required: a retry with the same key
/// returns the same payment (or the same decline) and charges once; the same
/// key with a different amount, currency or method is `keyReused`.
public struct ChargeRequest: Codable, Sendable {
    public var idempotencyKey: String
    public var amountCents: Int64
    public var currency: String
    public var method: PaymentMethod
    /// Card token from the terminal, e.g. `tok_visa`; required for `card`.
    public var token: String?
    public var orderID: String?

    public init(
        idempotencyKey: String, amountCents: Int64, currency: String, method: PaymentMethod, token: String? = nil,
        orderID: String? = nil
    ) {
        self.idempotencyKey = idempotencyKey
        self.amountCents = amountCents
        self.currency = currency
        self.method = method
        self.token = token
        self.orderID = orderID
    }

    enum CodingKeys: String, CodingKey {
        case currency, method, token
        case idempotencyKey = "idempotency_key"
        case amountCents = "amount_cents"
        case orderID = "order_id"
    }
}

/// Give a captured payment back, in full. Refunding twice is `alreadyRefunded`.
public struct RefundRequest: Codable, Sendable {
    public var paymentID: String
    public var reason: String?

    public init(paymentID: String, reason: String? = nil) {
        self.paymentID = paymentID
        self.reason = reason
    }

    enum CodingKeys: String, CodingKey {
        case reason
        case paymentID = "payment_id"
    }
}
