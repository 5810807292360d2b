import Bootstrap
import Facade
import InventoryAPI
import Orders
import OrdersAPI
import PaymentsAPI
import Platform
import RestaurantAPI

/// Orders as the rest of Banyan composes it: its descriptor and its facade,
/// the checkout saga over the modules it sells through. It reaches them by
/// their interfaces from its host, never by their Cores, so the same code
/// routes them by flags.json in any process that hosts Orders.
package enum OrdersModule {
    package static let descriptor: ModuleDescriptor = ModuleDescriptor(
        name: "orders", schema: OrdersSchema.module, publishesEvents: true)

    /// How long the checkout's claims last: the gateway sets them from its
    /// recovery settings, so a claim outlives a recovery pass's interval.
    package static let checkout = HostKey<CheckoutOptions>(default: CheckoutOptions())
    /// Where the saga and recovery log.
    package static let log = HostKey<Log>(default: .shared)

    /// Orders for code in `host`: its implementation, over the facades the
    /// host routes to Restaurant, Inventory and Payments.
    package static func facade(in host: ModuleHost) -> any OrdersFacade {
        implementation(in: host)
    }

    /// What settles pending checkouts of every tenant (see
    /// `OrdersService.recoverPendingCheckouts`): run by the process that
    /// reaches the orders schema, not an operation.
    package static func recovery(in host: ModuleHost) -> OrdersService {
        implementation(in: host)
    }

    private static func implementation(in host: ModuleHost) -> OrdersService {
        OrdersService(
            pool: host.database.pool(for: descriptor.name),
            restaurant: RestaurantClient(transport: host.transport(to: RestaurantOperations.interface)),
            inventory: InventoryClient(transport: host.transport(to: InventoryOperations.interface)),
            payments: PaymentsClient(transport: host.transport(to: PaymentsOperations.interface)),
            checkout: host.environment[checkout], log: host.environment[log])
    }
}
