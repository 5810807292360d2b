import Facade
import Flags
import Foundation
import HTTPServer
import Metrics
import Platform
import Postgres
import Routing
import Security

/// The whole life of an extracted service executable: log in to its
/// module's schema as the module's own role (never as the admin: the gateway
/// or `banyan migrate` provision roles and schemas, and must have run once
/// first), apply its own schema's pending migrations as that role, serve
/// its operation table over HTTP until SIGTERM, drain, exit 0. A module that
/// owns no data (Chatbot) has no schema, so its service opens no database at
/// all and is ready whenever it serves. A service's whole `main.swift` is
///
///     ServiceMain.run(PaymentsModule.descriptor)
///
/// A service routes like the gateway: it reads the same flags.json
/// (`BANYAN_FLAGS`, else `./flags.json`, watched) and its module's calls to
/// other modules go to each one's home for the tenant — that module's
/// service, or the monolith's internal listener (`BANYAN_MONOLITH_URL`,
/// default `http://127.0.0.1:8001`) — signed with the service secret. Its
/// own module it always serves itself.
public enum ServiceMain {
    public static func run(_ module: ModuleDescriptor) -> Never {
        Startup.ignoreBrokenPipes()
        guard let service = module.service else {
            Startup.fail("the \(module.name) module cannot run as a service: it declares no operations")
        }
        do {
            try ClusterMode.requireShared(SharedSettings.service(of: module))
        } catch {
            Startup.fail("cannot start \(service.executable): \(error)")
        }
        let database = openDatabase(of: module)
        var configuration = HTTPServerConfiguration()
        configuration.host = Configuration.value("BANYAN_SERVICE_HOST") ?? "127.0.0.1"
        configuration.port = port(default: service.defaultPort)
        ShutdownSettings.apply(to: &configuration)
        let host: ServiceHost
        let flags: FlagsStore
        let collectors: [CollectorRegistration]
        do {
            let secret = try ServiceSecret.loadOrCreate()
            flags = try FlagsStore(path: RoutingSetup.flagsPath())
            let router = ModuleRouter(
                flags: flags, calls: RoutingSetup.serviceCalls(secret: secret),
                placement: .service(module: module.name), monolithURL: RoutingSetup.monolithURL())
            let moduleHost = moduleHost(
                for: module, database: database, environment: HostEnvironment(configuredBy: [module]), router: router)
            host = ServiceHost(
                table: moduleHost.table(of: module), verifier: ServiceTokenVerifier(secret: secret, module: module.name),
                configuration: configuration, ready: { database?.ping() ?? true })
            // Its flags, its module's pool and the breakers of the services it calls, as the gateway exposes its own.
            let pools = database.map { [(module: module.name, pool: $0.pool(for: module.name))] } ?? []
            collectors = [
                host.metrics.collect { ProcessCollectors.flags(flags) },
                host.metrics.collect { ProcessCollectors.pools(pools) },
                host.metrics.collect { ProcessCollectors.breakers(router.breakers.snapshot(flags.current)) },
            ]
            flags.start()
            try host.start()
        } catch {
            database?.shutdown()
            Startup.fail("cannot start the \(module.name) service: \(error)")
        }
        Log.shared.info(
            "service listening",
            ["module": .string(module.name), "host": .string(configuration.host), "port": .int(host.port)])
        ShutdownSignal.wait { _ in host.shutdown() }
        for collector in collectors { collector.cancel() }
        flags.stop()
        database?.shutdown()
        Log.shared.info("stopped", ["module": .string(module.name)])
        Log.shared.flush()
        // Everything that must outlive the process is written: its log, its
        // database closed. `exit` would go on to run the C libraries' exit
        // handlers (OpenSSL's, libcurl's) while threads not joined here — a
        // handler past the grace period, a dispatcher, a recovery pass — may
        // still be using them: a crash at shutdown, seen once in a test run.
        _exit(0)
    }

    /// Its module's schema as its own role, migrated; nil for a module without one.
    private static func openDatabase(of module: ModuleDescriptor) -> Database? {
        guard let schema = module.schema else { return nil }
        do {
            return try Database.connect(module: schema, options: try DatabaseSetup.serviceOptions(module: schema))
        } catch {
            Startup.fail("cannot open the database: \(error)")
        }
    }

    /// The host a service gives its module: it hosts that module alone and
    /// routes every other module's calls by `router` (whose placement is
    /// this service). Tests build a service's host with it too; `database`
    /// is nil for a module that owns no data.
    public static func moduleHost(
        for module: ModuleDescriptor, database: Database?, environment: HostEnvironment, router: ModuleRouter
    ) -> ModuleHost {
        precondition(
            router.placement == .service(module: module.name), "the \(module.name) service routes as itself")
        return ModuleHost(database: database, environment: environment, hosting: [module], router: router)
    }

    /// `--port N`, else `BANYAN_SERVICE_PORT`, else the module's default.
    static func port(default fallback: Int) -> Int {
        let arguments = CommandLine.arguments
        if let flag = arguments.firstIndex(of: "--port"), flag + 1 < arguments.count, let port = Int(arguments[flag + 1]) {
            return port
        }
        return Configuration.int("BANYAN_SERVICE_PORT", default: fallback)
    }
}
