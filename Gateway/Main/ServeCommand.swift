import Bootstrap
import Flags
import Foundation
import Gateway
import ModuleRegistry
import Platform
import Postgres
import Routing
import Security

/// `banyan serve [--demo]`: migrate, then serve HTTP until SIGTERM or SIGINT.
/// Only when named: `banyan` alone prints the overview, so a mistyped
/// command never starts a gateway (or fails because :8000 is taken).
enum ServeCommand {
    static let usage = """
        usage: banyan serve [--demo]
          Migrates, then serves HTTP on BANYAN_HOST:BANYAN_PORT (127.0.0.1:8000) and the
          internal listener for services on BANYAN_INTERNAL_HOST:BANYAN_INTERNAL_PORT (:8001),
          until SIGTERM or SIGINT. The database is DATABASE_URL, else the embedded cluster under
          $BANYAN_HOME/pg (BANYAN_HOME defaults to ./.banyan); routing is BANYAN_FLAGS, else
          ./flags.json.
          --demo   also create the demo tenants and print their admin login and the ops token
        """

    static let command = Subcommand(
        name: "serve", summary: "start the gateway: migrate, then serve HTTP (banyan serve [--demo])", usage: usage,
        run: { arguments in
            var demo = false
            for argument in arguments {
                guard argument == "--demo" else { Terminal.usageError("serve", "unknown argument \(argument)", usage: usage) }
                demo = true
            }
            serve(demo: demo)
        })

    private static func serve(demo: Bool) -> Never {
        // First: in a cluster nothing may be made for this instance alone.
        do {
            try ClusterMode.requireShared(SharedSettings.gateway(hosting: ModuleRegistry.all))
        } catch {
            Startup.fail("cannot start the gateway: \(error)")
        }
        // Before the database: a module setting that stops the start (a JWT
        // secret too short) must not leave an embedded cluster running.
        let host = HostEnvironment(configuredBy: ModuleRegistry.all)
        let database = MigrateCommand.openDatabase()
        let configuration = GatewaySettings.server()
        let internalConfiguration = GatewaySettings.internalListener()
        let gateway: Gateway
        do {
            let flags = try FlagsStore(path: RoutingSetup.flagsPath(), knownModules: Gateway.routedModules)
            gateway = Gateway(
                database: database,
                opsToken: try SecretStore.loadOrCreateToken(environment: "BANYAN_OPS_TOKEN", file: "ops-token"),
                flags: flags,
                services: GatewaySettings.serviceCalls(secret: try ServiceSecret.loadOrCreate()),
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
        fflush(nil)
        // As a service does (`ServiceMain`): the C libraries' exit handlers
        // must not race threads not joined here.
        _exit(0)
    }
}
