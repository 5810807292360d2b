import Bootstrap
import Dispatch
import Flags
import Foundation
import Gateway
import ModuleRegistry
import Platform
import Postgres
import Routing
import Security

// `banyan`: the gateway executable.
//   banyan serve [--demo]   migrate, then serve HTTP on BANYAN_PORT (8000), and
//                           the internal listener on BANYAN_INTERNAL_PORT (8001)
//   banyan migrate          apply every module's migrations and exit
//   banyan db-password M    print module M's role password for its service
//   banyan services         list the modules that run as services, for scripts/up
//   banyan modules          each module's calls, CPU, database time, latency and errors (GET /admin/modules)

// First, before anything can write to a pipe: a closed reader must not kill us.
Startup.ignoreBrokenPipes()

let usage = """
    usage: banyan serve [--demo]   start the gateway (BANYAN_PORT, BANYAN_HOST, BANYAN_INTERNAL_PORT,
                                   BANYAN_INTERNAL_HOST, DATABASE_URL, BANYAN_FLAGS)
           banyan migrate          apply migrations and exit (before starting any service)
           banyan db-password <module>
                                   print the module's PostgreSQL role password, for its
                                   service's BANYAN_DB_PASSWORD
           banyan contract <\(ContractCommand.modules.joined(separator: "|"))> --url URL [--junit FILE]
                                   run a module's contract suite against a running service
           banyan flags <command>  move tenants between homes: status, preview, set, unset, rollout,
                                   default, history, revert (banyan flags --help)
           banyan modules [--gateway URL] [--json] [--hour]
                                   each module's calls, CPU and database time, latency and errors in
                                   the running gateway, the busiest first (banyan modules --help)
           banyan services         list the modules that run as services: name, executable, default port
           banyan bench-routing [N]
                                   time the in-process routed facade against a direct call
    """

func openDatabase() -> Database {
    do {
        return try Database.open(modules: Gateway.modules, options: try DatabaseSetup.options())
    } catch {
        Startup.fail("cannot open the database: \(error)")
    }
}

func serve(demo: Bool) {
    // Before the database: a module setting that stops the start (a JWT
    // secret too short) must not leave an embedded cluster running.
    let host = HostEnvironment(configuredBy: ModuleRegistry.all)
    let database = openDatabase()
    let configuration = GatewaySettings.server()
    let internalConfiguration = GatewaySettings.internalListener()
    let gateway: Gateway
    do {
        let flags = try FlagsStore(path: RoutingSetup.flagsPath(), knownModules: Gateway.routedModules)
        gateway = Gateway(
            database: database,
            opsToken: try SecretStore.loadOrCreateToken(environment: "BANYAN_OPS_TOKEN", file: "ops-token"),
            flags: flags,
            services: GatewaySettings.serviceCalls(
                secret: try SecretStore.loadOrCreate(environment: "BANYAN_SERVICE_SECRET", file: "service-secret")),
            server: configuration, internalListener: internalConfiguration, host: host,
            recovery: GatewaySettings.recovery(), reconciliation: GatewaySettings.reconciliation(),
            requestTimeout: GatewaySettings.requestTimeout(), logins: GatewaySettings.logins(),
            shadowRate: try ShadowMirror.rate(setting: Configuration.value("BANYAN_SHADOW_RATE")))
        if demo {
            // Through this process's own Auth: scripts/up starts auth-service,
            // demo-diner's Auth home, only once the gateway is up.
            let password = try DemoTenant.ensure(auth: gateway.hostedAuth)
            print(
                """
                Demo tenants \(DemoTenant.tenantIDs.joined(separator: ", ")): username \(DemoTenant.adminUsername), password \(password)
                Ops token: \(try SecretStore.loadOrCreateToken(environment: "BANYAN_OPS_TOKEN", file: "ops-token"))
                """)
            fflush(nil)  // all C streams: `print` is buffered when stdout is a pipe
        }
        try gateway.start()
    } catch {
        database.shutdown()
        Startup.fail("cannot start the gateway: \(error)")
    }
    Log.shared.info(
        "internal listener", ["host": .string(internalConfiguration.host), "port": .int(gateway.internalPort)])
    Log.shared.info("gateway listening", ["host": .string(configuration.host), "port": .int(gateway.port)])

    // SIGTERM/SIGINT: stop accepting, drain, stop the embedded cluster, exit 0.
    ShutdownSignal.wait { _ in gateway.shutdown() }
    database.shutdown()
    Log.shared.info("stopped")
    Log.shared.flush()
    exit(0)
}

let arguments = Array(CommandLine.arguments.dropFirst())
switch arguments.first ?? "serve" {
case "serve":
    serve(demo: arguments.contains("--demo"))
case "contract":
    ContractCommand.run(Array(arguments.dropFirst()))
case "flags":
    FlagsCommand.run(Array(arguments.dropFirst()))
case "migrate":
    openDatabase().shutdown()
    print("migrations applied")
case "db-password":
    // A service logs in as its module's role only; this is how it learns the
    // password the gateway set, without ever holding the admin login.
    let name = arguments.dropFirst().first ?? ""
    if let module = ModuleRegistry.named(name), module.schema == nil {
        Startup.fail("\(name) owns no data: its service opens no database and needs no password")
    }
    guard let module = Gateway.modules.first(where: { $0.name == name }) else {
        Startup.fail("usage: banyan db-password <\(Gateway.modules.map(\.name).joined(separator: "|"))>")
    }
    do {
        print(try DatabaseSetup.password(module: module))
    } catch {
        Startup.fail("cannot derive the password: \(error)")
    }
case "modules":
    ModulesCommand.run(Array(arguments.dropFirst()))
case "services":
    // One line per module that can run as a service, for scripts/up to start each.
    for module in ModuleRegistry.all {
        guard let service = module.service else { continue }
        print("\(module.name) \(service.executable) \(service.defaultPort)")
    }
case "bench-routing":
    benchRouting(Array(arguments.dropFirst()))
case "-h", "--help", "help":
    print(usage)
default:
    Startup.fail(usage)
}
