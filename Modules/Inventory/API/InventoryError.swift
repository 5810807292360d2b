import Platform

/// Every way an Inventory call can fail. Equality is by code.
public struct InventoryError: Error, Sendable, Equatable, ProblemConvertible {
    private enum Code: String, Sendable {
        case outOfStock = "out_of_stock"
        case insufficientStock = "insufficient_stock"
        case reservationNotFound = "reservation_not_found"
        case reservationReleased = "reservation_released"
        case keyReused = "idempotency_key_reused"
        case invalidInput = "validation_failed"
    }

    private let code: Code
    public let detail: String
    /// The menu items that were short, for `outOfStock`.
    public let items: [String]

    private init(_ code: Code, _ detail: String, items: [String] = []) {
        self.code = code
        self.detail = detail
        self.items = items
    }

    /// Some lines cannot be reserved; `items` names them.
    public static func outOfStock(_ items: [String]) -> InventoryError {
        InventoryError(.outOfStock, "Not enough stock for: \(items.joined(separator: ", ")).", items: items)
    }
    /// An adjustment would take stock below zero.
    public static let insufficientStock = InventoryError(
        .insufficientStock, "That adjustment would take stock below zero.")
    public static let reservationNotFound = InventoryError(.reservationNotFound, "No reservation with that key.")
    /// Committing a reservation that was released.
    public static let reservationReleased = InventoryError(
        .reservationReleased, "That reservation was released; its stock is no longer held.")
    /// The same reservation key with different lines.
    public static let keyReused = InventoryError(
        .keyReused, "That reservation key was already used for different lines.")
    public static func invalidInput(field: String, reason: String) -> InventoryError {
        InventoryError(.invalidInput, "\(field): \(reason)")
    }

    public static func == (lhs: InventoryError, rhs: InventoryError) -> Bool { lhs.code == rhs.code }

    public var problem: Problem {
        let status =
            switch code {
            case .reservationNotFound: 404
            case .outOfStock, .insufficientStock, .reservationReleased, .keyReused: 409
            case .invalidInput: 422
            }
        return Problem(
            status: status, code: code.rawValue, detail: detail,
            extensions: items.isEmpty ? [:] : ["items": .array(items.map(JSONValue.string))])
    }

    public init?(problem: Problem) {
        guard let code = Code(rawValue: problem.code) else { return nil }
        var items: [String] = []
        if case .array(let values)? = problem.extensions["items"] {
            items = values.compactMap { if case .string(let item) = $0 { item } else { nil } }
        }
        self.init(code, problem.detail, items: items)
    }
}
