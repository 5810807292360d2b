import BanyanTestSupport
import Bootstrap
import Foundation
import Postgres
import Security

/// A module's service executable (`payments-service`, …) running as a
/// child process, started as an operator would: its schema migrated
/// first (as `banyan migrate` does, with the admin login), then the service
/// with `--port 0`, its own database from `DATABASE_URL` (whose login it
/// ignores: it logs in as its module's role), the test cluster's role
/// secret, a random service token secret and a private (0700) `BANYAN_HOME`
/// as working directory (so no `.env` of the checkout leaks in).
struct ServiceProcess {
    typealias Exit = ChildProcess.Exit

    let child: ChildProcess
    let executable: String
    let port: Int
    /// The token secret the service verifies with; its UTF-8 bytes sign calls.
    let secret: String

    var baseURL: String { "http://127.0.0.1:\(port)" }
    var tokenSecret: [UInt8] { Array(secret.utf8) }

    /// Migrates `module`'s schema in `databaseURL` as the admin (what
    /// `banyan migrate` does before any service starts), starts its service
    /// executable against it and waits (up to two minutes on a busy machine)
    /// for its "service listening" line. `secret` signs the calls it makes
    /// and checks those it serves; `environment` adds to what it is given.
    ///
    /// A module without a schema gets no database (`databaseURL` nil): no
    /// `DATABASE_URL`, no role secret, so a service that tried to open one
    /// would fail to start.
    static func start(
        _ module: ModuleDescriptor, databaseURL: String?, secret: String = Hex.encode(SecureRandom.bytes(32)),
        environment extra: [String: String?] = [:]
    ) throws -> ServiceProcess {
        guard let executable = module.service?.executable else {
            throw TestFailure("\(module.name) does not run as a service")
        }
        guard (module.schema == nil) == (databaseURL == nil) else {
            throw TestFailure("\(module.name): a database exactly when the module has a schema")
        }
        if let schema = module.schema, let databaseURL {
            try Database.open(
                modules: [schema],
                options: Database.Options(
                    databaseURL: databaseURL, embeddedDirectory: "/nonexistent", rolePassword: TestDatabase.rolePassword,
                    poolSize: 1)
            ).shutdown()
        }
        let home = try ChildProcess.makePrivateDirectory(executable)
        var environment: [String: String?] = [
            "BANYAN_SERVICE_PORT": nil, "BANYAN_SERVICE_HOST": nil, "PAYMENT_GATEWAY_URL": nil,
            "BANYAN_DB_POOL_SIZE": nil, "DATABASE_URL": databaseURL,
            "BANYAN_DB_SECRET": databaseURL == nil ? nil : TestDatabase.roleSecret, "BANYAN_DB_PASSWORD": nil,
            "BANYAN_SERVICE_SECRET": secret, "BANYAN_HOME": home,
        ]
        environment.merge(extra) { _, added in added }
        let child = try ChildProcess.start(
            ChildProcess.product(executable), ["--port", "0"], environment: environment,
            directory: home, owning: home)
        let port = try child.waitForPort(announcedAs: "service listening", within: 120)
        return ServiceProcess(child: child, executable: executable, port: port, secret: secret)
    }

    /// SIGTERM, then waits up to a minute for the graceful exit; nil if it
    /// did not come (the process is then killed).
    func stop() -> Exit? {
        child.stop(within: 60)
    }
}
