import Platform

/// Every way an Orders call can fail. Equality is by code.
public struct OrdersError: Error, Sendable, Equatable, ProblemConvertible {
    private enum Kind: String, Sendable {
        case orderNotFound = "order_not_found"
        case unknownItems = "unknown_items"
        case alreadyCancelled = "already_cancelled"
        case notCancellable = "not_cancellable"
        case requestInProgress = "request_in_progress"
        case keyReused = "idempotency_key_reused"
        case invalidInput = "validation_failed"
    }

    private let kind: Kind
    public let detail: String
    /// The menu items concerned, for `unknownItems`.
    public let items: [String]

    private init(_ kind: Kind, _ detail: String, items: [String] = []) {
        self.kind = kind
        self.detail = detail
        self.items = items
    }

    public static let orderNotFound = OrdersError(.orderNotFound, "No such order.")
    /// Items that do not exist or are not available now.
    public static func unknownItems(_ items: [String]) -> OrdersError {
        OrdersError(
            .unknownItems, "Unknown or unavailable menu items: \(items.joined(separator: ", ")).", items: items)
    }
    public static let alreadyCancelled = OrdersError(.alreadyCancelled, "That order is already cancelled.")
    public static let notCancellable = OrdersError(.notCancellable, "Only completed orders can be cancelled.")
    public static let requestInProgress = OrdersError(
        .requestInProgress, "An order with that Idempotency-Key is still being placed; retry shortly.")
    public static let keyReused = OrdersError(
        .keyReused, "That Idempotency-Key was already used for a different order.")
    public static func invalidInput(field: String, reason: String) -> OrdersError {
        OrdersError(.invalidInput, "\(field): \(reason)")
    }

    public var code: String { kind.rawValue }

    public static func == (lhs: OrdersError, rhs: OrdersError) -> Bool { lhs.kind == rhs.kind }

    public var problem: Problem {
        let status =
            switch kind {
            case .orderNotFound: 404
            case .alreadyCancelled, .notCancellable, .requestInProgress, .keyReused: 409
            case .unknownItems, .invalidInput: 422
            }
        return Problem(
            status: status, code: kind.rawValue, detail: detail,
            extensions: items.isEmpty ? [:] : ["items": .array(items.map(JSONValue.string))])
    }

    public init?(problem: Problem) {
        guard let kind = Kind(rawValue: problem.code) else { return nil }
        var items: [String] = []
        if case .array(let values)? = problem.extensions["items"] {
            items = values.compactMap { if case .string(let item) = $0 { item } else { nil } }
        }
        self.init(kind, problem.detail, items: items)
    }
}

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
