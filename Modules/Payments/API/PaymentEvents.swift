import Platform

/// Published when money was taken.
public struct PaymentCaptured: DomainEvent, Equatable {
    public static let eventType = "PaymentCaptured"

    public var paymentID: String
    public var orderID: String?
    public var amountCents: Int64
    public var currency: String
    public var method: PaymentMethod

    public init(paymentID: String, orderID: String?, amountCents: Int64, currency: String, method: PaymentMethod) {
        self.paymentID = paymentID
        self.orderID = orderID
        self.amountCents = amountCents
        self.currency = currency
        self.method = method
    }

    enum CodingKeys: String, CodingKey {
        case currency, method
        case paymentID = "payment_id"
        case orderID = "order_id"
        case amountCents = "amount_cents"
    }
}

/// Published when money was given back.
public struct PaymentRefunded: DomainEvent, Equatable {
    public static let eventType = "PaymentRefunded"

    public var paymentID: String
    public var orderID: String?
    public var amountCents: Int64
    public var currency: String
    /// Why, as the refund said: e.g. `order cancelled`, or `reconciliation`
    /// for a captured payment no completed order held.
    public var reason: String?

    public init(paymentID: String, orderID: String?, amountCents: Int64, currency: String, reason: String? = nil) {
        self.paymentID = paymentID
        self.orderID = orderID
        self.amountCents = amountCents
        self.currency = currency
        self.reason = reason
    }

    enum CodingKeys: String, CodingKey {
        case currency, reason
        case paymentID = "payment_id"
        case orderID = "order_id"
        case amountCents = "amount_cents"
    }
}
