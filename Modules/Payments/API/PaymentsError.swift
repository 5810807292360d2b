import Platform

/// Every way a Payments call can fail, as one typed error (see
/// `ModuleError`). Declines carry the processor's reason as their code
/// (`card_declined`, `insufficient_funds`), so a caller can tell the
/// customer why.
public struct PaymentsError: ModuleError {
    package enum Kind: String, ModuleErrorKind {
        case cardDeclined = "card_declined"
        case insufficientFunds = "insufficient_funds"
        case paymentNotFound = "payment_not_found"
        case keyReused = "idempotency_key_reused"
        case chargeInProgress = "charge_in_progress"
        case alreadyRefunded = "already_refunded"
        case notRefundable = "not_refundable"
        case processorUnavailable = "processor_unavailable"
        case invalidInput = "validation_failed"

        package var status: Int {
            switch self {
            case .cardDeclined, .insufficientFunds: 402
            case .paymentNotFound: 404
            case .keyReused, .chargeInProgress, .alreadyRefunded, .notRefundable: 409
            case .invalidInput: 422
            case .processorUnavailable: 503
            }
        }
    }

    package let kind: Kind
    public let detail: String

    package init(_ kind: Kind, detail: String, extensions _: [String: JSONValue] = [:]) {
        self.kind = kind
        self.detail = detail
    }

    public static let cardDeclined = PaymentsError(.cardDeclined, detail: "The card was declined.")
    public static let insufficientFunds = PaymentsError(.insufficientFunds, detail: "The card has insufficient funds.")
    public static let paymentNotFound = PaymentsError(.paymentNotFound, detail: "No such payment.")
    public static let keyReused = PaymentsError(
        .keyReused, detail: "That idempotency key was already used for a different charge.")
    public static let chargeInProgress = PaymentsError(
        .chargeInProgress, detail: "A charge with that idempotency key is still in progress; retry shortly.")
    public static let alreadyRefunded = PaymentsError(.alreadyRefunded, detail: "That payment was already refunded.")
    public static let notRefundable = PaymentsError(.notRefundable, detail: "Only captured payments can be refunded.")
    public static let processorUnavailable = PaymentsError(
        .processorUnavailable,
        detail: "The card processor did not answer; nothing was charged. Retry with the same key.")

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
}
