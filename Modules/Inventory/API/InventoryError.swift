import Platform

/// Every way an Inventory call can fail, as one typed error (see `ModuleError`).
public struct InventoryError: ModuleError {
    package enum Kind: String, ModuleErrorKind {
        case outOfStock = "out_of_stock"
        case insufficientStock = "insufficient_stock"
        case reservationNotFound = "reservation_not_found"
        case reservationReleased = "reservation_released"
        case keyReused = "idempotency_key_reused"
        case invalidInput = "validation_failed"

        package var status: Int {
            switch self {
            case .reservationNotFound: 404
            case .outOfStock, .insufficientStock, .reservationReleased, .keyReused: 409
            case .invalidInput: 422
            }
        }
    }

    package let kind: Kind
    public let detail: String
    /// The menu items that were short, for `outOfStock`.
    public let items: [String]

    package init(_ kind: Kind, detail: String, extensions: [String: JSONValue] = [:]) {
        self.kind = kind
        self.detail = detail
        items = extensions["items"]?.strings ?? []
    }

    package var extensions: [String: JSONValue] { items.isEmpty ? [:] : ["items": JSONValue(strings: items)] }

    /// Some lines cannot be reserved; `items` names them.
    public static func outOfStock(_ items: [String]) -> InventoryError {
        InventoryError(
            .outOfStock, detail: "Not enough stock for: \(items.joined(separator: ", ")).",
            extensions: ["items": JSONValue(strings: items)])
    }
    /// An adjustment would take stock below zero.
    public static let insufficientStock = InventoryError(
        .insufficientStock, detail: "That adjustment would take stock below zero.")
    public static let reservationNotFound = InventoryError(.reservationNotFound, detail: "No reservation with that key.")
    /// Committing a reservation that was released.
    public static let reservationReleased = InventoryError(
        .reservationReleased, detail: "That reservation was released; its stock is no longer held.")
    /// The same reservation key with different lines.
    public static let keyReused = InventoryError(
        .keyReused, detail: "That reservation key was already used for different lines.")
}
