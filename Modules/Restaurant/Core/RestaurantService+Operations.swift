import Facade
import Platform
import RestaurantAPI

extension RestaurantService {
    /// This service's handlers bound to the Restaurant operations: what
    /// `LocalTransport` calls in-process and restaurant-service serves over HTTP.
    package func operations() -> OperationTable {
        OperationTable(module: "restaurant", decodeError: RestaurantOperations.decodeError)
            .bind(RestaurantOperations.profile) { [self] context, _ in try profile(context) }
            .bind(RestaurantOperations.updateProfile) { [self] in try updateProfile($0, $1) }
            .bind(RestaurantOperations.menu) { [self] in try menu($0, includeUnavailable: $1.includeUnavailable) }
            .bind(RestaurantOperations.menuItem) { [self] in try menuItem($0, id: $1.id) }
            .bind(RestaurantOperations.createMenuItem) { [self] in try createMenuItem($0, $1) }
            .bind(RestaurantOperations.updateMenuItem) { [self] in try updateMenuItem($0, id: $1.id, $1.changes) }
            .bind(RestaurantOperations.deleteMenuItem) { [self] context, item in
                try deleteMenuItem(context, id: item.id)
                return Empty()
            }
            .bind(RestaurantOperations.prices) { [self] in try prices($0, itemIDs: $1.itemIDs) }
            .bind(RestaurantOperations.kitchenTickets) { [self] in try kitchenTickets($0, includeDone: $1.includeDone) }
            .bind(RestaurantOperations.openKitchenTicket) { [self] in try openKitchenTicket($0, $1) }
            .bind(RestaurantOperations.completeKitchenTicket) { [self] in try completeKitchenTicket($0, id: $1.id) }
    }
}
