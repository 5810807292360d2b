import Platform

/// Every way a Restaurant call can fail. Equality is by code; `problem` is
/// the wire form and `init?(problem:)` reads it back.
public struct RestaurantError: Error, Sendable, Equatable, ProblemConvertible {
    private enum Code: String, Sendable {
        case menuItemNotFound = "menu_item_not_found"
        case ticketNotFound = "ticket_not_found"
        case ticketAlreadyDone = "ticket_already_done"
        case invalidInput = "validation_failed"
    }

    private let code: Code
    public let detail: String

    private init(_ code: Code, _ detail: String) {
        self.code = code
        self.detail = detail
    }

    public static let menuItemNotFound = RestaurantError(.menuItemNotFound, "No such menu item.")
    public static let ticketNotFound = RestaurantError(.ticketNotFound, "No such kitchen ticket.")
    public static let ticketAlreadyDone = RestaurantError(.ticketAlreadyDone, "That ticket is already done.")
    public static func invalidInput(field: String, reason: String) -> RestaurantError {
        RestaurantError(.invalidInput, "\(field): \(reason)")
    }

    public static func == (lhs: RestaurantError, rhs: RestaurantError) -> Bool { lhs.code == rhs.code }

    public var problem: Problem {
        let status =
            switch code {
            case .menuItemNotFound, .ticketNotFound: 404
            case .ticketAlreadyDone: 409
            case .invalidInput: 422
            }
        return Problem(status: status, code: code.rawValue, detail: detail)
    }

    public init?(problem: Problem) {
        guard let code = Code(rawValue: problem.code) else { return nil }
        self.init(code, problem.detail)
    }
}
