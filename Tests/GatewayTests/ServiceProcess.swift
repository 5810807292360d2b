import BanyanTestSupport
import Foundation
import Platform

/// An extracted service executable (`payments-service`, `inventory-service`)
/// running as a real child process on a free port, over the same database,
/// with the same service-token secret and flags.json as a `TestGateway`, and
/// that gateway's internal listener as its monolith, so the gateway can route
/// a tenant's calls to it and it can route its own to the gateway.
///
///     let service = try ServiceProcess.start("payments-service", beside: app)
///     defer { service.stop() }
///     // flags.json: "services": {"payments": service.url}
struct ServiceProcess {
    let child: ChildProcess
    let port: Int

    var name: String { child.name }
    var url: String { "http://127.0.0.1:\(port)" }

    /// Everything the child printed so far (its request log), for the test and its failure messages.
    var log: String { child.output }

    /// Starts `name --port 0` sharing `app`'s database and `app`'s service
    /// secret, and waits until it logs the port it listens on. The gateway
    /// migrated every schema when it opened the database, which a service
    /// needs first: it logs in as its module's role only (the admin login in
    /// `DATABASE_URL` is ignored) and never migrates.
    ///
    /// `environment` is added last, over everything else (e.g. `PAYMENT_GATEWAY_URL`).
    static func start(
        _ name: String, beside app: TestGateway, environment extra: [String: String] = [:], timeout: Double = 60
    ) throws -> ServiceProcess {
        // Its own state directory, so nothing is written into the repository's .banyan.
        let home = try ChildProcess.makePrivateDirectory("svc")
        var environment: [String: String?] = [
            "DATABASE_URL": app.database.adminConnectionInfo, "BANYAN_DB_SECRET": TestDatabase.roleSecret,
            "BANYAN_SERVICE_SECRET": String(decoding: app.serviceSecret, as: UTF8.self), "BANYAN_HOME": home,
            "BANYAN_SERVICE_PORT": nil, "BANYAN_FLAGS": app.flagsPath, "BANYAN_MONOLITH_URL": app.internalURL,
        ]
        for (key, value) in extra { environment[key] = value }
        let child = try ChildProcess.start(
            ChildProcess.product(name), ["--port", "0"], environment: environment, mergingStandardError: true,
            owning: home)
        return ServiceProcess(child: child, port: try child.waitForPort(announcedAs: "service listening", within: timeout))
    }

    /// SIGTERM, then a bounded wait for the graceful exit (SIGKILL if it hangs).
    func stop() {
        child.stop(within: 20)
    }
}

/// What the child's request log says it served.
extension ServiceProcess {
    /// Its access-log lines so far, parsed.
    var requests: [[String: JSONValue]] { RequestLogTests.accessLines(log) }

    /// Whether it logged a call of `operation` for `tenant`, whatever its outcome.
    func handled(_ operation: String, tenant: String) -> Bool {
        requests.contains { $0["operation"] == .string(operation) && $0["tenant"] == .string(tenant) }
    }

    /// Whether it logged a successful call of `operation` for `tenant` (and,
    /// when given, for the gateway request `requestID`).
    func served(operation: String, tenant: String, requestID: String?) -> Bool {
        requests.contains { entry in
            guard entry["operation"] == .string(operation), entry["tenant"] == .string(tenant),
                case .int(let status)? = entry["status"], (200...299).contains(status)
            else { return false }
            return requestID.map { entry["request_id"] == .string($0) } ?? true
        }
    }

    /// Whether it logged any request for `tenant`, whatever its outcome.
    func servedAnything(tenant: String) -> Bool {
        requests.contains { $0["tenant"] == .string(tenant) }
    }
}
