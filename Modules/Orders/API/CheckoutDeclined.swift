import Platform

/// A checkout whose payment was refused: 402 with the payment's code; the
/// order stays visible as `payment_failed`.
public struct CheckoutDeclined: Error, Sendable, ProblemConvertible {
    public let order: Order
    /// The payment error's code, e.g. `card_declined`.
    public let reason: String
    public let detail: String

    public init(order: Order, reason: String, detail: String) {
        self.order = order
        self.reason = reason
        self.detail = detail
    }

    public var problem: Problem {
        Problem(
            status: 402, code: reason, detail: detail,
            extensions: ["order_id": .string(order.id), "order_number": .string(order.number)])
    }
}
