import Platform

/// Every way a Restaurant call can fail, as one typed error (see `ModuleError`).
public struct RestaurantError: ModuleError {
    package enum Kind: String, ModuleErrorKind {
        case menuItemNotFound = "menu_item_not_found"
        case menuItemExists = "menu_item_exists"
        case ticketNotFound = "ticket_not_found"
        case ticketAlreadyDone = "ticket_already_done"
        case invalidInput = "validation_failed"

        package var status: Int {
            switch self {
            case .menuItemNotFound, .ticketNotFound: 404
            case .menuItemExists, .ticketAlreadyDone: 409
            case .invalidInput: 422
            }
        }
    }

    package let kind: Kind
    public let detail: String

    package init(_ kind: Kind, detail: String, extensions _: [String: JSONValue] = [:]) {
        self.kind = kind
        self.detail = detail
    }

    public static let menuItemNotFound = RestaurantError(.menuItemNotFound, detail: "No such menu item.")
    /// Another live item of the restaurant has that name, up to case and surrounding spaces.
    public static let menuItemExists = RestaurantError(
        .menuItemExists, detail: "The menu already has an item with that name (names ignore case).")
    public static let ticketNotFound = RestaurantError(.ticketNotFound, detail: "No such kitchen ticket.")
    public static let ticketAlreadyDone = RestaurantError(.ticketAlreadyDone, detail: "That ticket is already done.")
}
