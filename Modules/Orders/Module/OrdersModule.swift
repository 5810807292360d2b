import Bootstrap
import InventoryAPI
import Orders
import OrdersAPI
import PaymentsAPI
import Platform
import RestaurantAPI

/// Orders as the rest of Banyan composes it: its descriptor and its facade,
/// the checkout saga over the facades of the modules it sells through. It
/// declares no operations yet, so it runs in the monolith only.
package enum OrdersModule {
    package static let descriptor: ModuleDescriptor = ModuleDescriptor(
        name: "orders", schema: OrdersSchema.module, publishesEvents: true)

    /// Orders for code in `host`: its implementation, called directly, over the other modules' facades.
    package static func facade(
        in host: ModuleHost, restaurant: any RestaurantFacade, inventory: any InventoryFacade,
        payments: any PaymentsFacade, checkout: CheckoutOptions, log: Log
    ) -> any OrdersFacade {
        OrdersService(
            pool: host.database.pool(for: descriptor.name), restaurant: restaurant, inventory: inventory,
            payments: payments, checkout: checkout, log: log)
    }
}
