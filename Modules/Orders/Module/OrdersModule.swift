import Bootstrap
import Contract
import Facade
import InventoryAPI
import Orders
import OrdersAPI
import OrdersContract
import PaymentsAPI
import Platform
import RestaurantAPI

/// Orders as the rest of Banyan composes it: its descriptor (what every
/// process and tool reads) and its facade as the gateway and the tests get
/// it. The checkout saga reaches Restaurant, Inventory and Payments by their
/// interfaces from its host, never by their Cores, so in any process that
/// hosts Orders those calls go to each module's home for the tenant.
package enum OrdersModule {
    package static let descriptor: ModuleDescriptor = ModuleDescriptor(
        name: "orders", schema: OrdersSchema.module, publishesEvents: true,
        service: ServiceDescriptor(
            executable: "orders-service", defaultPort: 4002, interface: OrdersOperations.interface,
            contract: ContractSuite(cases: OrdersContract.cases, client: contractProvider)
        ) { host in implementation(in: host).operations() },
        configure: { host in host[checkout] = checkoutFromEnvironment() })

    /// How long the checkout's claims last: the gateway sets them from its
    /// recovery settings, so a claim outlives a recovery pass's interval.
    package static let checkout = HostKey<CheckoutOptions>(default: CheckoutOptions())
    /// The claims a gateway with the same `BANYAN_RECOVERY_GRACE_SECONDS` and
    /// `BANYAN_RECOVERY_INTERVAL_SECONDS` gives its checkouts (it sets its
    /// own from its recovery settings), so orders-service's checkouts are not
    /// taken over sooner than the gateway's.
    private static func checkoutFromEnvironment() -> CheckoutOptions {
        let grace = Double(Configuration.int("BANYAN_RECOVERY_GRACE_SECONDS", default: 30))
        let interval = max(Double(Configuration.int("BANYAN_RECOVERY_INTERVAL_SECONDS", default: 5)), 0.1)
        return CheckoutOptions(recoveryGrace: grace, recoveryInterval: interval)
    }

    /// Where the saga and recovery log.
    package static let log = HostKey<Log>(default: .shared)

    /// Orders for code in `host`: calls go where the host routes them.
    package static func facade(in host: ModuleHost) -> any OrdersFacade {
        client(host.transport(to: descriptor))
    }

    /// `OrdersFacade` over any transport to Orders' operations.
    @Sendable package static func client(_ transport: any Transport) -> any OrdersFacade {
        OrdersClient(transport: transport)
    }

    /// What settles pending checkouts of every tenant (see
    /// `OrdersService.recoverPendingCheckouts`). Not an operation: it runs
    /// in a process that reaches the orders schema — the gateway — and its
    /// claims let exactly one claimant settle each checkout.
    package static func recovery(in host: ModuleHost) -> OrdersService {
        implementation(in: host)
    }

    /// The contract's provider over one transport that carries Orders'
    /// operations and those of the modules its cases arrange menus and stock in.
    @Sendable static func contractProvider(_ transport: any Transport) -> OrdersContract.Provider {
        OrdersContract.Provider(
            orders: OrdersClient(transport: transport), restaurant: RestaurantClient(transport: transport),
            inventory: InventoryClient(transport: transport))
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
