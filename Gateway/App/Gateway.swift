import Auth
import AuthAPI
import Chatbot
import ChatbotAPI
import Events
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

    public init(
        database: Database, jwtSecret: [UInt8], opsToken: String,
        server configuration: HTTPServerConfiguration, passwordHasher: PasswordHasher = PasswordHasher(),
        cardProcessor: any CardProcessor = SimulatedCardProcessor(),
        recovery recoveryOptions: CheckoutRecovery.Options = .init(), log: Log = .shared
    ) {
        let signer = JWTSigner(secret: jwtSecret)
        auth = AuthService(pool: database.pool(for: "auth"), signer: signer, hasher: passwordHasher)
        restaurant = RestaurantService(pool: database.pool(for: "restaurant"))
        inventory = InventoryService(pool: database.pool(for: "inventory"))
        payments = PaymentsService(pool: database.pool(for: "payments"), processor: cardProcessor)
        orders = OrdersService(
            pool: database.pool(for: "orders"), restaurant: restaurant, inventory: inventory, payments: payments,
            log: log)
        chat = ChatService(restaurant: restaurant, inventory: inventory, orders: orders)

        events = EventDispatcher(log: log)
        for module in ["restaurant", "inventory", "payments", "orders"] {
            events.addSource(module: module, pool: database.pool(for: module))
        }
        KitchenSubscriptions.subscribe(events, restaurant: restaurant)
        recovery = CheckoutRecovery(orders: orders, options: recoveryOptions, log: log)

        let router = Router(
            HealthRoutes.routes(ready: { database.ping() })
                + AdminRoutes.routes(auth: auth) + EventRoutes.routes(dispatcher: events)
                + AuthRoutes.routes(auth: auth)
                + RestaurantRoutes.routes(restaurant: restaurant)
                + InventoryRoutes.routes(inventory: inventory)
                + PaymentRoutes.routes(payments: payments)
                + OrderRoutes.routes(orders: orders)
                + ChatRoutes.routes(chat: chat))
        let responder = GatewayResponder(
            router: router, authentication: EdgeAuthentication(signer: signer, opsToken: Array(opsToken.utf8)),
            log: log)
        server = HTTPServer(configuration: configuration, responder: responder)
    }

    /// Settles checkouts a crash interrupted, then serves: HTTP, event
    /// delivery, and periodic recovery.
    public func start() throws {
        recovery.runOnce()
        try server.start()
        events.start()
        recovery.start()
    }

    public var port: Int { server.port }

    /// Stops accepting, lets in-flight requests finish, closes connections,
    /// then stops delivering events.
    public func shutdown() {
        server.shutdown()
        recovery.stop()
        events.stop()
    }

    public func waitUntilStopped() { server.waitUntilStopped() }
}
