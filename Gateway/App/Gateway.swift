import Auth
import AuthAPI
import AuthModule
import Bootstrap
import ChatbotAPI
import ChatbotModule
import Events
import Facade
import Flags
import HTTPServer
import InventoryAPI
import InventoryModule
import ModuleRegistry
import OrdersAPI
import OrdersModule
import PaymentsAPI
import PaymentsModule
import Platform
import Postgres
import RestaurantAPI
import RestaurantModule
import Security

/// The composition root: wires each module's implementation behind its
/// facade, subscribes modules to each other's events, puts HTTP in front,
/// and owns their lifetimes.
public final class Gateway: Sendable {
    /// The schemas of every registered module, migrated at start.
    public static let modules: [ModuleSchema] = ModuleRegistry.all.compactMap(\.schema)

    public let auth: any AuthFacade
    public let restaurant: any RestaurantFacade
    public let inventory: any InventoryFacade
    public let payments: any PaymentsFacade
    public let orders: any OrdersFacade
    public let chat: any ChatFacade
    public let events: EventDispatcher
    private let server: HTTPServer
    private let recovery: CheckoutRecovery
    private let revocations: RevocationFeed
    private let reconciliation: Reconciliation

    /// How calls to an extracted module's service behave.
    public struct ServiceCalls: Sendable {
        /// Signs the short-lived tokens services require; services verify with the same secret.
        public var secret: [UInt8]
        public var connectTimeout: Double
        public var totalTimeout: Double
        /// Calls in flight to one module's services at once: the bulkhead
        /// that keeps a slow service from taking every worker. Beyond it, 503
        /// `module_busy` at once.
        public var maxInFlight: Int

        /// - Parameters: connectTimeout, totalTimeout: seconds.
        public init(secret: [UInt8], connectTimeout: Double = 1, totalTimeout: Double = 5, maxInFlight: Int = 8) {
            self.secret = secret
            self.connectTimeout = connectTimeout
            self.totalTimeout = totalTimeout
            self.maxInFlight = max(maxInFlight, 1)
        }
    }

    /// The modules that can be extracted, and so are routed by flags.json.
    public static let routedModules = Set(ModuleRegistry.extractable.map(\.name))

    public let flags: FlagsStore

    /// Seconds every `/api/v1` request may take, unless told otherwise: its
    /// deadline, carried to every module call.
    public static let defaultRequestTimeout: Double = 10

    /// - Parameter host: what the modules get from this process besides the
    ///   database: Payments' card processor, Auth's token key (which the edge
    ///   verifies with too) and password hasher, …; `main` reads them from
    ///   the environment (`HostEnvironment(configuredBy:)`), tests inject theirs.
    package init(
        database: Database, opsToken: String, flags: FlagsStore, services: ServiceCalls,
        server configuration: HTTPServerConfiguration, host: HostEnvironment = HostEnvironment(),
        recovery recoveryOptions: CheckoutRecovery.Options = .init(),
        reconciliation reconciliationOptions: Reconciliation.Options = .init(),
        requestTimeout: Double = Gateway.defaultRequestTimeout,
        logins: LoginThrottle.Configuration = .init(), log: Log = .shared
    ) {
        self.flags = flags

        // Every module's facade comes from its Module target. An extractable
        // module's calls, from HTTP handlers and from other modules alike, go
        // through a transport that picks, per call, the table in this process
        // or the module's service by the tenant's flag.
        let tokens = ServiceTokenIssuer(secret: services.secret)
        let moduleHost = ModuleHost(database: database, environment: host) { module, table in
            RoutedTransport(
                module: module.name, table: table, flags: flags, tokens: tokens,
                connectTimeout: services.connectTimeout, totalTimeout: services.totalTimeout,
                bulkhead: Bulkhead(module: module.name, limit: services.maxInFlight))
        }
        auth = AuthModule.facade(in: moduleHost)
        // The edge checks tokens here, never through the facade: with the key
        // Auth signs them with, and against the revocations of disabled and
        // demoted users, kept in memory (no database read per request).
        let userTokens = host[AuthModule.tokens]
        revocations = AuthModule.revocationFeed(in: moduleHost, log: log)
        restaurant = RestaurantModule.facade(in: moduleHost)
        inventory = InventoryModule.facade(in: moduleHost)
        payments = PaymentsModule.facade(in: moduleHost)
        orders = OrdersModule.facade(
            in: moduleHost, restaurant: restaurant, inventory: inventory, payments: payments,
            checkout: recoveryOptions.checkout, log: log)
        chat = ChatbotModule.facade(restaurant: restaurant, inventory: inventory, orders: orders)

        events = EventDispatcher(log: log)
        for module in ModuleRegistry.all where module.publishesEvents {
            events.addSource(module: module.name, pool: database.pool(for: module.name))
        }
        KitchenSubscriptions.subscribe(events, restaurant: restaurant)
        recovery = CheckoutRecovery(orders: orders, options: recoveryOptions, log: log)
        // Payments' sweep works on the payments schema this process can
        // reach, for every tenant (service-homed ones too: one database).
        reconciliation = Reconciliation(
            sweeper: PaymentsModule.reconciliation(
                in: moduleHost, holders: OrderChargeHolders(orders: orders), grace: reconciliationOptions.grace, log: log),
            interval: reconciliationOptions.interval, log: log)

        let router = Router(
            GatewayRoutes.all(
                modules: ModuleRegistry.all.map(\.name).sorted(),
                ready: { database.ping() }, flags: flags, events: events, reconciliation: reconciliation,
                recovery: recovery, logins: LoginThrottle(logins), auth: auth, restaurant: restaurant,
                inventory: inventory, payments: payments, orders: orders, chat: chat))
        let responder = GatewayResponder(
            router: router, authentication: EdgeAuthentication(
                signer: userTokens.signer, opsToken: Array(opsToken.utf8), revocations: revocations.list),
            requestTimeout: requestTimeout, log: log)
        server = HTTPServer(configuration: configuration, responder: responder)
    }

    /// Settles checkouts a crash interrupted, then serves: HTTP, event
    /// delivery, and periodic recovery.
    public func start() throws {
        flags.start()
        recovery.runOnce()
        revocations.start()
        try server.start()
        events.start()
        recovery.start()
        reconciliation.start()
    }

    public var port: Int { server.port }

    /// Stops accepting, lets in-flight requests finish, closes connections,
    /// then stops delivering events.
    public func shutdown() {
        server.shutdown()
        recovery.stop()
        revocations.stop()
        reconciliation.stop()
        events.stop()
        flags.stop()
    }

    public func waitUntilStopped() { server.waitUntilStopped() }
}
