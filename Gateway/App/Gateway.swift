import Auth
import AuthAPI
import AuthModule
import Bootstrap
import ChatbotAPI
import ChatbotModule
import Events
import Facade
import Flags
import FlagsAudit
import HTTPServer
import InventoryAPI
import InventoryModule
import Metrics
import ModuleRegistry
import OrdersAPI
import OrdersModule
import PaymentsAPI
import PaymentsModule
import Platform
import Postgres
import RestaurantAPI
import RestaurantModule
import Routing
import Security
import Signals

/// The composition root: wires each module's implementation behind its
/// facade, subscribes modules to each other's events, puts HTTP in front,
/// and owns their lifetimes.
public final class Gateway: Sendable {
    /// The schemas of every registered module, and the operators' `ops`
    /// (the flags.json audit trail), migrated at start.
    public static let modules: [ModuleSchema] = ModuleRegistry.all.compactMap(\.schema) + [FlagsAudit.schema]

    public let auth: any AuthFacade
    public let restaurant: any RestaurantFacade
    public let inventory: any InventoryFacade
    public let payments: any PaymentsFacade
    public let orders: any OrdersFacade
    public let chat: any ChatFacade
    public let events: EventDispatcher
    private let server: HTTPServer
    /// `POST /operations/{name}` of every extractable module, for services
    /// calling a module whose home for the tenant is still this process.
    private let internalListener: ServiceHost
    package let recovery: CheckoutRecovery
    private let revocations: RevocationFeed
    private let reconciliation: Reconciliation
    /// The contract compatibility checks of the services flags.json names.
    private let gateChecks: ServiceGateChecks
    /// Records which flags.json version this instance routes by.
    private let applications: FlagsApplications
    /// Every module, hosted here; kept for `hostedAuth`.
    private let moduleHost: ModuleHost
    /// Moves a module's tenants in-process when its service's breaker stays open too long.
    private let breakerRollback: BreakerRollback
    /// The circuit breakers of the services this process calls (state for status pages and metrics).
    public let breakers: CircuitBreakers
    /// Each module's calls run here (in-process, and from services through
    /// the internal listener), for `GET /admin/modules`.
    package let signals: ModuleSignals
    /// Mirrors the reads of tenants homed in `shadow` to the services, and counts what differs.
    package let shadow: ShadowMirror
    /// What `GET /metrics` exposes of this gateway.
    private let metrics: GatewayMetrics

    /// How calls to an extracted module's service behave; its secret also
    /// checks the tokens of the services calling the internal listener.
    public typealias ServiceCalls = Routing.ServiceCalls

    /// The internal listener when `main` names none: loopback, a port the
    /// kernel picks (so test gateways never collide), a few workers.
    public static var ephemeralInternalListener: HTTPServerConfiguration {
        var configuration = HTTPServerConfiguration()
        configuration.port = 0
        configuration.workerCount = 4
        return configuration
    }

    /// The modules that can be extracted, and so are routed by flags.json.
    public static let routedModules = Set(ModuleRegistry.extractable.map(\.name))

    public let flags: FlagsStore

    /// What names this process in the flags audit trail's applied versions:
    /// `BANYAN_INSTANCE_ID`, else `<hostname>:<pid>`.
    public static var defaultInstance: String { FlagsApplications.defaultInstance() }

    /// The name this process records its applied flags.json versions under.
    public var instance: String { applications.instance }

    /// Seconds every `/api/v1` request may take, unless told otherwise: its
    /// deadline, carried to every module call.
    public static let defaultRequestTimeout: Double = 10

    /// - Parameter host: what the modules get from this process besides the
    ///   database: Payments' card processor, Auth's token key (which the edge
    ///   verifies with too) and password hasher, …; `main` reads them from
    ///   the environment (`HostEnvironment(configuredBy:)`), tests inject theirs.
    package init(
        database: Database, opsToken: String, flags: FlagsStore, services: ServiceCalls,
        server configuration: HTTPServerConfiguration,
        internalListener internalConfiguration: HTTPServerConfiguration = Gateway.ephemeralInternalListener,
        host: HostEnvironment = HostEnvironment(),
        recovery recoveryOptions: CheckoutRecovery.Options = .init(),
        reconciliation reconciliationOptions: Reconciliation.Options = .init(),
        requestTimeout: Double = Gateway.defaultRequestTimeout,
        logins: LoginThrottle.Configuration = .init(), instance: String = Gateway.defaultInstance,
        breakers: CircuitBreakers = CircuitBreakers(), shadowRate: Double = ShadowMirror.defaultRate, log: Log = .shared
    ) {
        self.breakers = breakers
        self.flags = flags
        let audit = FlagsAuditLog(database: database)
        let instances = GatewayInstances(database: database)
        applications = FlagsApplications(
            instance: instance, flags: flags, audit: audit, instances: instances, log: log)

        // Every module's facade comes from its Module target. This process is
        // the monolith: it hosts every module, and an extractable module's
        // calls, from HTTP handlers and from other modules alike, go through
        // a transport that picks, per call, the table in this process or the
        // module's service by the tenant's home in flags.json.
        // Tenants homed in a service that no longer serves what this process
        // calls of its module stay here (`ServiceGate`).
        gateChecks = ServiceGateChecks(
            gate: ServiceGate(
                interfaces: ModuleRegistry.extractable.compactMap(\.service?.interface),
                describe: ServiceGateChecks.describe, log: log),
            flags: flags)
        // Reads of tenants homed in `shadow` are also sent to the service, off the request path.
        shadow = ShadowMirror(rate: shadowRate)
        let routing = ModuleRouter(
            flags: flags, calls: services, placement: .monolith, gate: gateChecks.gate, breakers: breakers,
            shadow: shadow)
        // Orders' claims follow the recovery settings, and its log is this process's.
        var host = host
        host[OrdersModule.checkout] = recoveryOptions.checkout
        host[OrdersModule.log] = log
        let moduleHost = ModuleHost(database: database, environment: host, hosting: ModuleRegistry.all, router: routing)
        self.moduleHost = moduleHost
        // Attached before any call: the tables are made with the first
        // transport asked for, and every transport of a table shares its slot.
        let signals = ModuleSignals(modules: ModuleRegistry.all.map(\.name))
        self.signals = signals
        for module in ModuleRegistry.extractable {
            if let meter = signals.meter(for: module.name) { moduleHost.table(of: module).meter.attach(meter) }
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
        orders = OrdersModule.facade(in: moduleHost)
        chat = ChatbotModule.facade(in: moduleHost)

        events = EventDispatcher(log: log)
        for module in ModuleRegistry.all where module.publishesEvents {
            events.addSource(module: module.name, pool: database.pool(for: module.name))
        }
        KitchenSubscriptions.subscribe(events, restaurant: restaurant)
        // Recovery settles pending checkouts of every tenant, wherever Orders
        // is homed: this process reaches the orders schema (one database),
        // and claims let exactly one claimant settle each checkout.
        recovery = CheckoutRecovery(orders: OrdersModule.recovery(in: moduleHost), options: recoveryOptions, log: log)
        // Payments' sweep works on the payments schema this process can
        // reach, for every tenant (service-homed ones too: one database).
        reconciliation = Reconciliation(
            sweeper: PaymentsModule.reconciliation(
                in: moduleHost, holders: OrderChargeHolders(orders: orders), grace: reconciliationOptions.grace, log: log),
            interval: reconciliationOptions.interval, log: log)

        let flagsChanges = FlagsChanges(
            flags: flags, audit: audit, instances: instances, knownModules: Gateway.routedModules,
            contracts: gateChecks.gate,
            tenants: { [directory = AuthModule.tenantDirectory(in: moduleHost)] in try directory.tenantIDs() },
            breakers: breakers)
        breakerRollback = BreakerRollback(
            breakers: breakers, flags: flags, changes: flagsChanges, knownModules: Gateway.routedModules, log: log)
        let metrics = GatewayMetrics(
            flags: flags, pools: Gateway.modules.map { ($0.name, database.pool(for: $0.name)) }, events: events,
            recovery: recovery, reconciliation: reconciliation, breakers: breakers, shadow: shadow.stats)
        self.metrics = metrics
        let router = Router(
            GatewayRoutes.all(
                modules: ModuleRegistry.all.map(\.name).sorted(),
                ready: { database.ping() }, flags: flags, gate: gateChecks.gate,
                flagsChanges: flagsChanges,
                events: events, shadow: shadow, metrics: metrics,
                reconciliation: reconciliation,
                recovery: recovery, logins: LoginThrottle(logins), auth: auth, restaurant: restaurant,
                inventory: inventory, payments: payments, orders: orders, chat: chat, signals: signals))
        let responder = GatewayResponder(
            router: router, authentication: EdgeAuthentication(
                signer: userTokens.signer, opsToken: Array(opsToken.utf8), revocations: revocations.list),
            requestTimeout: requestTimeout, metrics: metrics.requests, log: log)
        server = HTTPServer(configuration: configuration, responder: responder)
        // The same tables the routed transports call, never routed again: a
        // call that reached the monolith for a module it hosts runs here.
        internalListener = ServiceHost(
            tables: ModuleRegistry.extractable.map { moduleHost.table(of: $0) }, secret: services.secret,
            configuration: internalConfiguration, ready: { database.ping() }, log: log)
    }

    /// Settles checkouts a crash interrupted, then serves: HTTP, event
    /// delivery, and periodic recovery.
    public func start() throws {
        flags.start()
        applications.start()
        gateChecks.start(flags)
        recovery.runOnce()
        revocations.start()
        try internalListener.start()
        try server.start()
        events.start()
        recovery.start()
        reconciliation.start()
        breakerRollback.start()
    }

    /// Auth as this process hosts it, called directly whatever flags.json
    /// says. For work done before any service may be up: `banyan serve
    /// --demo` opens the demo tenants before scripts/up starts auth-service,
    /// and `auth` would send demo-diner's call there. Every home of Auth
    /// writes the one auth schema, so a tenant opened here is the tenant
    /// auth-service serves.
    package var hostedAuth: any AuthFacade {
        AuthModule.client(LocalTransport(moduleHost.table(of: AuthModule.descriptor)))
    }

    public var port: Int { server.port }

    /// The internal listener's port (the kernel's pick for port 0).
    public var internalPort: Int { internalListener.port }

    /// Stops accepting, lets in-flight requests finish, closes connections,
    /// then stops delivering events.
    public func shutdown() {
        // Both listeners' lame ducks at once, then each drains.
        server.announceShutdown()
        internalListener.announceShutdown()
        server.shutdown()
        internalListener.shutdown()
        recovery.stop()
        revocations.stop()
        reconciliation.stop()
        breakerRollback.stop()
        events.stop()
        gateChecks.stop()
        shadow.stop()
        applications.stop()
        flags.stop()
        metrics.stop()
    }

    public func waitUntilStopped() {
        server.waitUntilStopped()
        internalListener.waitUntilStopped()
    }
}
