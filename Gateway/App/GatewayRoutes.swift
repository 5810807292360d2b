import AuthAPI
import ChatbotAPI
import Events
import Flags
import InventoryAPI
import OrdersAPI
import PaymentsAPI
import RestaurantAPI
import Routing
import Signals

/// Every endpoint of the gateway in one table, with the API documentation
/// that describes them: what the router serves, and what a test compares
/// the documentation against.
enum GatewayRoutes {
    static func all(
        modules: [String], ready: @escaping @Sendable () -> Bool, flags: FlagsStore, gate: ServiceGate?,
        flagsChanges: FlagsChanges, events: EventDispatcher, shadow: ShadowMirror? = nil, metrics: GatewayMetrics,
        reconciliation: Reconciliation, recovery: CheckoutRecovery, logins: LoginThrottle, auth: any AuthFacade,
        restaurant: any RestaurantFacade, inventory: any InventoryFacade, payments: any PaymentsFacade,
        orders: any OrdersFacade, chat: any ChatFacade, signals: ModuleSignals = ModuleSignals(modules: [])
    ) -> [Route] {
        DocsRoutes.including(
            HealthRoutes.routes(modules: modules, ready: ready, flags: flags, gate: gate)
                + MetricsRoutes.routes(metrics: metrics)
                + AdminRoutes.routes(auth: auth) + EventRoutes.routes(dispatcher: events)
                + FlagRoutes.routes(flags: flags, gate: gate, changes: flagsChanges)
                + ConsoleRoutes.routes()
                + ModuleSignalRoutes.routes(signals: signals)
                + ShadowRoutes.routes(shadow: shadow)
                + ReconciliationRoutes.routes(reconciliation: reconciliation, recovery: recovery)
                + AuthRoutes.routes(auth: auth, throttle: logins)
                + RestaurantRoutes.routes(restaurant: restaurant)
                + InventoryRoutes.routes(inventory: inventory)
                + PaymentRoutes.routes(payments: payments)
                + OrderRoutes.routes(orders: orders)
                + ChatRoutes.routes(chat: chat))
    }
}
