import Facade
import Platform

/// The Restaurant facade as operations: declared once, served in-process by
/// `LocalTransport` and over HTTP by restaurant-service, called through
/// `RestaurantClient` either way.
public enum RestaurantOperations {
    public static let profile = Operation<Empty, RestaurantProfile>("restaurant.profile", readOnly: true)
    public static let updateProfile = Operation<RestaurantProfileChanges, RestaurantProfile>("restaurant.update_profile")
    public static let menu = Operation<MenuQuery, [MenuItem]>("restaurant.menu", readOnly: true)
    public static let menuItem = Operation<MenuItemID, MenuItem>("restaurant.menu_item", readOnly: true)
    public static let createMenuItem = Operation<NewMenuItem, MenuItem>("restaurant.create_menu_item")
    public static let updateMenuItem = Operation<UpdateMenuItemCommand, MenuItem>("restaurant.update_menu_item")
    public static let deleteMenuItem = Operation<MenuItemID, Empty>("restaurant.delete_menu_item")
    public static let prices = Operation<PriceQuery, [MenuItem]>("restaurant.prices", readOnly: true)
    public static let kitchenTickets = Operation<KitchenTicketQuery, [KitchenTicket]>(
        "restaurant.kitchen_tickets", readOnly: true)
    public static let openKitchenTicket = Operation<NewKitchenTicket, KitchenTicket>("restaurant.open_kitchen_ticket")
    public static let completeKitchenTicket = Operation<KitchenTicketID, KitchenTicket>(
        "restaurant.complete_kitchen_ticket")

    /// Every operation above: the table Restaurant serves must bind exactly these.
    public static let all: [any DeclaredOperation] = [
        profile, updateProfile, menu, menuItem, createMenuItem, updateMenuItem, deleteMenuItem, prices, kitchenTickets,
        openKitchenTicket, completeKitchenTicket,
    ]

    /// Reads a problem received over the wire back into `RestaurantError`.
    public static let decodeError: @Sendable (Problem) -> (any Error)? = { RestaurantError(problem: $0) }

    /// Restaurant as any process reaches it, hosted there or not.
    public static let interface = ModuleInterface(name: "restaurant", operations: all, decodeError: decodeError)
}

/// `menu(includeUnavailable:)`.
public struct MenuQuery: Codable, Sendable, Equatable {
    public var includeUnavailable: Bool
    public init(includeUnavailable: Bool) { self.includeUnavailable = includeUnavailable }
    enum CodingKeys: String, CodingKey { case includeUnavailable = "include_unavailable" }
}

/// One menu item, by id: `menuItem` and `deleteMenuItem`.
public struct MenuItemID: Codable, Sendable, Equatable {
    public var id: String
    public init(id: String) { self.id = id }
}

/// `updateMenuItem(id:_:)`.
public struct UpdateMenuItemCommand: Codable, Sendable {
    public var id: String
    public var changes: MenuItemChanges
    public init(id: String, changes: MenuItemChanges) {
        self.id = id
        self.changes = changes
    }
}

/// `prices(itemIDs:)`.
public struct PriceQuery: Codable, Sendable, Equatable {
    public var itemIDs: [String]
    public init(itemIDs: [String]) { self.itemIDs = itemIDs }
    enum CodingKeys: String, CodingKey { case itemIDs = "item_ids" }
}

/// `kitchenTickets(includeDone:)`.
public struct KitchenTicketQuery: Codable, Sendable, Equatable {
    public var includeDone: Bool
    public init(includeDone: Bool) { self.includeDone = includeDone }
    enum CodingKeys: String, CodingKey { case includeDone = "include_done" }
}

/// One kitchen ticket, by id: `completeKitchenTicket`.
public struct KitchenTicketID: Codable, Sendable, Equatable {
    public var id: String
    public init(id: String) { self.id = id }
}
