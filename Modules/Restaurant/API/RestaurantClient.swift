import Facade
import Platform

/// `RestaurantFacade` over a `Transport`: the same calls whether Restaurant
/// runs in this process or in restaurant-service.
public struct RestaurantClient: RestaurantFacade {
    private let transport: any Transport

    public init(transport: any Transport) { self.transport = transport }

    public func profile(_ context: CallContext) throws -> RestaurantProfile {
        try transport.call(RestaurantOperations.profile, context, Empty())
    }

    public func updateProfile(_ context: CallContext, _ changes: RestaurantProfileChanges) throws -> RestaurantProfile {
        try transport.call(RestaurantOperations.updateProfile, context, changes)
    }

    public func menu(_ context: CallContext, includeUnavailable: Bool) throws -> [MenuItem] {
        try transport.call(RestaurantOperations.menu, context, MenuQuery(includeUnavailable: includeUnavailable))
    }

    public func menuItem(_ context: CallContext, id: String) throws -> MenuItem {
        try transport.call(RestaurantOperations.menuItem, context, MenuItemID(id: id))
    }

    public func createMenuItem(_ context: CallContext, _ item: NewMenuItem) throws -> MenuItem {
        try transport.call(RestaurantOperations.createMenuItem, context, item)
    }

    public func updateMenuItem(_ context: CallContext, id: String, _ changes: MenuItemChanges) throws -> MenuItem {
        try transport.call(RestaurantOperations.updateMenuItem, context, UpdateMenuItemCommand(id: id, changes: changes))
    }

    public func deleteMenuItem(_ context: CallContext, id: String) throws {
        _ = try transport.call(RestaurantOperations.deleteMenuItem, context, MenuItemID(id: id))
    }

    public func prices(_ context: CallContext, itemIDs: [String]) throws -> [MenuItem] {
        try transport.call(RestaurantOperations.prices, context, PriceQuery(itemIDs: itemIDs))
    }

    public func kitchenTickets(_ context: CallContext, includeDone: Bool) throws -> [KitchenTicket] {
        try transport.call(RestaurantOperations.kitchenTickets, context, KitchenTicketQuery(includeDone: includeDone))
    }

    public func openKitchenTicket(_ context: CallContext, _ ticket: NewKitchenTicket) throws -> KitchenTicket {
        try transport.call(RestaurantOperations.openKitchenTicket, context, ticket)
    }

    public func completeKitchenTicket(_ context: CallContext, id: String) throws -> KitchenTicket {
        try transport.call(RestaurantOperations.completeKitchenTicket, context, KitchenTicketID(id: id))
    }
}
