import Auth
import AuthAPI
import Chatbot
import ChatbotAPI
import Events
import Facade
import Flags
import HTTPServer
import Inventory
import InventoryAPI
import Orders
import OrdersAPI
import Payments
import PaymentsAPI
import Platform
import Postgres
import Restaurant
import RestaurantAPI
import Security
import Synchronization

/// The composition root: wires each module's implementation behind its
/// facade, subscribes modules to each other's events, puts HTTP in front,
/// and owns their lifetimes.
public final class Gateway: Sendable {
    /// The schemas every module of the monolith needs, migrated at start.
    public static let modules: [ModuleSchema] = [
        AuthSchema.module, RestaurantSchema.module, InventorySchema.module, PaymentsSchema.module,
        OrdersSchema.module,
    ]

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
        /// Calls in flight to one module's services at once
        /// (`BANYAN_SERVICE_MAX_INFLIGHT`): the bulkhead that keeps a slow
        /// service from taking every worker. Beyond it, 503 `module_busy` at once.
        public var maxInFlight: Int

        public init(
            secret: [UInt8],
            connectTimeout: Double = Double(Configuration.int("BANYAN_SERVICE_CONNECT_TIMEOUT_MS", default: 1000)) / 1000,
            totalTimeout: Double = Double(Configuration.int("BANYAN_SERVICE_TIMEOUT_MS", default: 5000)) / 1000,
            maxInFlight: Int = Configuration.int("BANYAN_SERVICE_MAX_INFLIGHT", default: 8)
        ) {
            self.secret = secret
            self.connectTimeout = connectTimeout
            self.totalTimeout = totalTimeout
            self.maxInFlight = max(maxInFlight, 1)
        }
    }

    /// The modules that can be extracted, and so are routed by flags.json.
    public static let routedModules: Set<String> = ["payments", "inventory"]

    public let flags: FlagsStore

    public init(
        database: Database, jwtSecret: [UInt8], opsToken: String, flags: FlagsStore, services: ServiceCalls,
        server configuration: HTTPServerConfiguration, passwordHasher: PasswordHasher = PasswordHasher(),
        cardProcessor: any CardProcessor = SimulatedCardProcessor(),
        recovery recoveryOptions: CheckoutRecovery.Options = .init(),
        reconciliation reconciliationOptions: Reconciliation.Options = .init(),
        requestTimeout: Double = Double(Configuration.int("BANYAN_REQUEST_TIMEOUT_MS", default: 10_000)) / 1000,
        logins: LoginThrottle.Configuration = .init(), log: Log = .shared
    ) {
        let signer = JWTSigner(secret: jwtSecret)
        self.flags = flags
        let authService = AuthService(pool: database.pool(for: "auth"), signer: signer, hasher: passwordHasher)
        auth = authService
        // Disabled and demoted users' older tokens, refused at the edge without a database read.
        revocations = RevocationFeed(
            pool: database.pool(for: "auth"), tokenLifetime: authService.tokenLifetime, log: log)
        restaurant = RestaurantService(pool: database.pool(for: "restaurant"))

        // The extracted modules: every call, from HTTP handlers and from other
        // modules alike, goes through a client whose transport the tenant's flag picks.
        let tokens = ServiceTokenIssuer(secret: services.secret)
        func routed(_ module: String, _ table: OperationTable) -> RoutedTransport {
            RoutedTransport(
                module: module, table: table, flags: flags, tokens: tokens,
                connectTimeout: services.connectTimeout, totalTimeout: services.totalTimeout,
                bulkhead: Bulkhead(module: module, limit: services.maxInFlight))
        }
        inventory = InventoryClient(
            transport: routed("inventory", InventoryService(pool: database.pool(for: "inventory")).operations()))
        let paymentsService = PaymentsService(pool: database.pool(for: "payments"), processor: cardProcessor)
        payments = PaymentsClient(transport: routed("payments", paymentsService.operations()))
        orders = OrdersService(
            pool: database.pool(for: "orders"), restaurant: restaurant, inventory: inventory, payments: payments,
            checkout: recoveryOptions.checkout, log: log)
        chat = ChatService(restaurant: restaurant, inventory: inventory, orders: orders)

        events = EventDispatcher(log: log)
        for module in ["restaurant", "inventory", "payments", "orders"] {
            events.addSource(module: module, pool: database.pool(for: module))
        }
        KitchenSubscriptions.subscribe(events, restaurant: restaurant)
        recovery = CheckoutRecovery(orders: orders, options: recoveryOptions, log: log)
        // Payments' sweep works on the payments schema this process can
        // reach, for every tenant (service-homed ones too: one database).
        reconciliation = Reconciliation(
            sweeper: PaymentsReconciliation(
                pool: database.pool(for: "payments"), payments: paymentsService,
                holders: OrderChargeHolders(orders: orders), grace: reconciliationOptions.grace, log: log),
            interval: reconciliationOptions.interval, log: log)

        let router = Router(
            GatewayRoutes.all(
                modules: ["auth", "chatbot", "inventory", "orders", "payments", "restaurant"],
                ready: { database.ping() }, flags: flags, events: events, reconciliation: reconciliation,
                recovery: recovery, logins: LoginThrottle(logins), auth: auth, restaurant: restaurant,
                inventory: inventory, payments: payments, orders: orders, chat: chat))
        let responder = GatewayResponder(
            router: router, authentication: EdgeAuthentication(
                signer: signer, opsToken: Array(opsToken.utf8), revocations: revocations.list),
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
