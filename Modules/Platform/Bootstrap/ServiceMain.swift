import Facade
import Foundation
import HTTPServer
import Platform
import Postgres
import Security

/// The whole life of an extracted service executable: log in to its
/// module's schema as the module's own role (never as the admin: the gateway
/// or `banyan migrate` provision and migrate, and must have run first), serve
/// its operation table over HTTP until SIGTERM, drain, exit 0. A service's
/// whole `main.swift` is
///
///     ServiceMain.run(PaymentsModule.descriptor)
public enum ServiceMain {
    public static func run(_ module: ModuleDescriptor) -> Never {
        Startup.ignoreBrokenPipes()
        guard let service = module.service, let schema = module.schema else {
            Startup.fail("the \(module.name) module cannot run as a service: it declares no operations")
        }
        let database: Database
        do {
            database = try Database.connect(module: schema, options: try DatabaseSetup.serviceOptions(module: schema))
        } catch {
            Startup.fail("cannot open the database: \(error)")
        }
        var configuration = HTTPServerConfiguration()
        configuration.host = Configuration.value("BANYAN_SERVICE_HOST") ?? "127.0.0.1"
        configuration.port = port(default: service.defaultPort)
        let host: ServiceHost
        do {
            let secret = try SecretStore.loadOrCreate(environment: "BANYAN_SERVICE_SECRET", file: "service-secret")
            let moduleHost = ModuleHost(database: database, environment: HostEnvironment(configuredBy: [module]))
            host = ServiceHost(
                table: service.table(in: moduleHost), verifier: ServiceTokenVerifier(secret: secret, module: module.name),
                configuration: configuration, ready: { database.ping() })
            try host.start()
        } catch {
            database.shutdown()
            Startup.fail("cannot start the \(module.name) service: \(error)")
        }
        Log.shared.info(
            "service listening",
            ["module": .string(module.name), "host": .string(configuration.host), "port": .int(host.port)])
        ShutdownSignal.wait { _ in host.shutdown() }
        database.shutdown()
        Log.shared.info("stopped", ["module": .string(module.name)])
        Log.shared.flush()
        exit(0)
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
