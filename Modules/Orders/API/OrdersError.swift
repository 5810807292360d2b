import Platform

/// Every way an Orders call can fail, as one typed error (see `ModuleError`).
public struct OrdersError: ModuleError {
    package enum Kind: String, ModuleErrorKind {
        case orderNotFound = "order_not_found"
        case unknownItems = "unknown_items"
        case alreadyCancelled = "already_cancelled"
        case notCancellable = "not_cancellable"
        case keyReused = "idempotency_key_reused"
        case invalidInput = "validation_failed"

        package var status: Int {
            switch self {
            case .orderNotFound: 404
            case .alreadyCancelled, .notCancellable, .keyReused: 409
            case .unknownItems, .invalidInput: 422
            }
        }
    }

    package let kind: Kind
    public let detail: String
    /// The menu items concerned, for `unknownItems`.
    public let items: [String]

    package init(_ kind: Kind, detail: String, extensions: [String: JSONValue] = [:]) {
        self.kind = kind
        self.detail = detail
        items = extensions["items"]?.strings ?? []
    }

    package var extensions: [String: JSONValue] { items.isEmpty ? [:] : ["items": JSONValue(strings: items)] }

    public static let orderNotFound = OrdersError(.orderNotFound, detail: "No such order.")
    /// Items that do not exist or are not available now.
    public static func unknownItems(_ items: [String]) -> OrdersError {
        OrdersError(
            .unknownItems, detail: "Unknown or unavailable menu items: \(items.joined(separator: ", ")).",
            extensions: ["items": JSONValue(strings: items)])
    }
    public static let alreadyCancelled = OrdersError(.alreadyCancelled, detail: "That order is already cancelled.")
    public static let notCancellable = OrdersError(.notCancellable, detail: "Only completed orders can be cancelled.")
    public static let keyReused = OrdersError(
        .keyReused, detail: "That Idempotency-Key was already used for a different order.")
}
