import Platform

/// The only way into the Restaurant module: profile, menu, prices, kitchen tickets.
///
/// Reads are open to every member of staff; menu and profile writes need
/// manager or admin. Everything is scoped to `context.tenant`: another
/// restaurant's item is reported exactly as one that does not exist.
public protocol RestaurantFacade: Sendable {
    func profile(_ context: CallContext) throws -> RestaurantProfile
    func updateProfile(_ context: CallContext, _ changes: RestaurantProfileChanges) throws -> RestaurantProfile

    /// The menu, by category then name. Unavailable items are included only when asked.
    func menu(_ context: CallContext, includeUnavailable: Bool) throws -> [MenuItem]
    func menuItem(_ context: CallContext, id: String) throws -> MenuItem
    func createMenuItem(_ context: CallContext, _ item: NewMenuItem) throws -> MenuItem
    func updateMenuItem(_ context: CallContext, id: String, _ changes: MenuItemChanges) throws -> MenuItem
    /// Removes an item from the menu; orders that sold it keep their lines.
    func deleteMenuItem(_ context: CallContext, id: String) throws

    /// Current prices of the items named, for checkout. Ids that are unknown
    /// (or deleted) are simply absent from the answer; unavailable items are
    /// present with `available == false`. One query, whatever the count.
    func prices(_ context: CallContext, itemIDs: [String]) throws -> [MenuItem]

    func kitchenTickets(_ context: CallContext, includeDone: Bool) throws -> [KitchenTicket]
    /// Idempotent by `orderID`: a second call returns the first ticket.
    func openKitchenTicket(_ context: CallContext, _ ticket: NewKitchenTicket) throws -> KitchenTicket
    func completeKitchenTicket(_ context: CallContext, id: String) throws -> KitchenTicket
}
