import Platform

/// Every way a Payments call can fail. Equality is by code; declines carry
/// the processor's reason as their code (`card_declined`,
/// `insufficient_funds`), so a caller can tell the customer why.
public struct PaymentsError: Error, Sendable, Equatable, ProblemConvertible {
    private enum Kind: String, Sendable {
        case cardDeclined = "card_declined"
        case insufficientFunds = "insufficient_funds"
        case paymentNotFound = "payment_not_found"
        case keyReused = "idempotency_key_reused"
        case chargeInProgress = "charge_in_progress"
        case alreadyRefunded = "already_refunded"
        case notRefundable = "not_refundable"
        case processorUnavailable = "processor_unavailable"
        case invalidInput = "validation_failed"
    }

    private let kind: Kind
    public let detail: String

    private init(_ kind: Kind, _ detail: String) {
        self.kind = kind
        self.detail = detail
    }

    public static let cardDeclined = PaymentsError(.cardDeclined, "The card was declined.")
    public static let insufficientFunds = PaymentsError(.insufficientFunds, "The card has insufficient funds.")
    public static let paymentNotFound = PaymentsError(.paymentNotFound, "No such payment.")
    public static let keyReused = PaymentsError(
        .keyReused, "That idempotency key was already used for a different charge.")
    public static let chargeInProgress = PaymentsError(
        .chargeInProgress, "A charge with that idempotency key is still in progress; retry shortly.")
    public static let alreadyRefunded = PaymentsError(.alreadyRefunded, "That payment was already refunded.")
    public static let notRefundable = PaymentsError(.notRefundable, "Only captured payments can be refunded.")
    public static let processorUnavailable = PaymentsError(
        .processorUnavailable, "The card processor did not answer; nothing was charged. Retry with the same key.")
    public static func invalidInput(field: String, reason: String) -> PaymentsError {
        PaymentsError(.invalidInput, "\(field): \(reason)")
    }

    /// The stable wire code, e.g. `card_declined`.
    public var code: String { kind.rawValue }

    /// True for the declines a customer can fix with another card or cash.
    public var isDecline: Bool { kind == .cardDeclined || kind == .insufficientFunds }

    /// The decline for a processor reason code, if it is one Banyan knows.
    public static func decline(reason: String) -> PaymentsError? {
        switch Kind(rawValue: reason) {
        case .cardDeclined: .cardDeclined
        case .insufficientFunds: .insufficientFunds
        default: nil
        }
    }

    public static func == (lhs: PaymentsError, rhs: PaymentsError) -> Bool { lhs.kind == rhs.kind }

    public var problem: Problem {
        let status =
            switch kind {
            case .cardDeclined, .insufficientFunds: 402
            case .paymentNotFound: 404
            case .keyReused, .chargeInProgress, .alreadyRefunded, .notRefundable: 409
            case .invalidInput: 422
            case .processorUnavailable: 503
            }
        return Problem(status: status, code: kind.rawValue, detail: detail)
    }

    public init?(problem: Problem) {
        guard let kind = Kind(rawValue: problem.code) else { return nil }
        self.init(kind, problem.detail)
    }
}
