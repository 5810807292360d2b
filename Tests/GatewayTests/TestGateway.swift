import AuthAPI
import AuthModule
import BanyanTestSupport
import Bootstrap
import Foundation
import Flags
import Gateway
import HTTPClient
import HTTPServer
import Payments
import PaymentsModule
import Platform
import Postgres
import Security

/// A real gateway on a free port over a fresh PostgreSQL database, driven
/// through real sockets by the project's own HTTP client.
final class TestGateway: Sendable {
    let gateway: Gateway
    let database: Database
    /// The UTF-8 bytes of a hex string, so a child auth-service can get the same key as JWT_SECRET_KEY.
    let jwtSecret: [UInt8]
    let opsToken: String
    /// The UTF-8 bytes of a hex string, so a child service can get the same secret as BANYAN_SERVICE_SECRET.
    let serviceSecret: [UInt8]
    /// This gateway's flags.json; absent until a test writes it (then everything is in-process).
    let flagsPath = FileManager.default.temporaryDirectory
        .appendingPathComponent("banyan-flags-\(UUID().uuidString)").appendingPathComponent("flags.json").path

    /// - Parameters:
    ///   - node: another gateway whose database and secrets this one shares,
    ///     as a second node of one deployment would (its own pools and memory).
    ///   - logins: login limits; the defaults unless a test needs others.
    ///   - cardProcessor: what in-process Payments charges; the simulator by default.
    ///   - requestTimeout: seconds every /api/v1 request may take (its deadline).
    ///   - maxServiceCallsInFlight: the per-module bulkhead; the environment's default when nil.
    ///   - serviceTimeout: seconds a call to an extracted service may take; the environment's default when nil.
    ///   - recovery, reconciliation: the money sweeps' timing; tests that run
    ///     them by hand pass a long interval so only their own passes run.
    ///   - instance: the name it records applied flags versions under; a fresh one when nil.
    ///   - log: where the gateway logs; nowhere unless a test reads it.
    init(
        sameDatabaseAs node: TestGateway? = nil, logins: LoginThrottle.Configuration = .init(),
        passwordHasher: PasswordHasher = PasswordHasher(cost: .testing),
        cardProcessor: any CardProcessor = SimulatedCardProcessor(), requestTimeout: Double = 10,
        maxServiceCallsInFlight: Int? = nil, serviceTimeout: Double? = nil,
        recovery: CheckoutRecovery.Options = .init(), reconciliation: Reconciliation.Options = .init(),
        instance: String? = nil, log: Log = .discard
    ) throws {
        jwtSecret = node?.jwtSecret ?? Array(Hex.encode(SecureRandom.bytes(32)).utf8)
        opsToken = node?.opsToken ?? Hex.encode(SecureRandom.bytes(16))
        serviceSecret = node?.serviceSecret ?? Array(Hex.encode(SecureRandom.bytes(32)).utf8)
        try FileManager.default.createDirectory(
            atPath: (flagsPath as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        if let node {
            database = try Database.open(
                modules: Gateway.modules,
                options: Database.Options(
                    databaseURL: node.database.adminConnectionInfo, embeddedDirectory: "/nonexistent",
                    rolePassword: TestDatabase.rolePassword, poolSize: 4))
        } else {
            database = try TestDatabase.open(modules: Gateway.modules)
        }
        var configuration = HTTPServerConfiguration()
        configuration.port = 0
        var services = Gateway.ServiceCalls(secret: serviceSecret)
        if let maxServiceCallsInFlight { services.maxInFlight = maxServiceCallsInFlight }
        if let serviceTimeout { services.totalTimeout = serviceTimeout }
        gateway = Gateway(
            database: database, opsToken: opsToken,
            flags: try FlagsStore(path: flagsPath, knownModules: Gateway.routedModules, log: .discard),
            services: services, server: configuration,
            host: HostEnvironment().with(PaymentsModule.cardProcessor, cardProcessor)
                .with(AuthModule.tokens, UserTokens(secret: jwtSecret)).with(AuthModule.passwordHasher, passwordHasher),
            recovery: recovery, reconciliation: reconciliation, requestTimeout: requestTimeout, logins: logins,
            // Its own name: test gateways share one process, so `<hostname>:<pid>` would be every one's.
            instance: instance ?? "test-gateway-\(UUID().uuidString.prefix(8))", log: log)
        try gateway.start()
    }

    deinit {
        gateway.shutdown()
        database.shutdown()
    }

    var baseURL: String { "http://127.0.0.1:\(gateway.port)" }

    struct Reply {
        var status: Int
        var headers: [(name: String, value: String)]
        var body: [UInt8]
        var json: [String: Any] {
            (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] ?? [:]
        }
        var array: [[String: Any]] {
            (try? JSONSerialization.jsonObject(with: Data(body))) as? [[String: Any]] ?? []
        }
        var code: String? { json["code"] as? String }
        /// The body as the API's own type, read in the wire dialect. A body
        /// that is not one (a problem where an order was expected, a field
        /// renamed) fails naming the status and what came back.
        func decoded<T: Decodable>(_ type: T.Type = T.self) throws -> T {
            do {
                return try WireJSON.decode(type, from: body)
            } catch {
                throw TestFailure(
                    "\(status) is not a \(T.self) (\(error)): \(String(decoding: body.prefix(600), as: UTF8.self))")
            }
        }
        func header(_ name: String) -> String? {
            headers.first { $0.name.lowercased() == name.lowercased() }?.value
        }
    }

    func call(
        _ method: String, _ path: String, tenant: String? = nil, token: String? = nil, json: Any? = nil,
        rawBody: [UInt8]? = nil, headers extra: [(name: String, value: String)] = []
    ) throws -> Reply {
        var headers = extra
        if let tenant { headers.append(("x-tenant-id", tenant)) }
        if let token { headers.append(("authorization", "Bearer \(token)")) }
        var body = rawBody
        if let json {
            body = Array(try JSONSerialization.data(withJSONObject: json))
            headers.append(("content-type", "application/json"))
        }
        let response = try HTTPClient.shared.send(method: method, url: baseURL + path, headers: headers, body: body)
        return Reply(status: response.status, headers: response.headers, body: response.body)
    }

    /// Opens a restaurant through the admin API; returns the admin's password.
    @discardableResult
    func createTenant(_ tenant: String, admin: String = "admin", password: String = "admin-password-1") throws -> String {
        let reply = try call(
            "POST", "/admin/tenants", token: opsToken,
            json: [
                "tenant_id": tenant, "name": "Restaurant \(tenant)",
                "admin": ["username": admin, "email": "\(admin)@\(tenant).example", "password": password],
            ])
        guard reply.status == 201 else { throw TestFailure("createTenant \(tenant): \(reply.status) \(reply.code ?? "")") }
        return password
    }

    func login(_ tenant: String, _ username: String, _ password: String) throws -> String {
        let reply = try call("POST", "/api/v1/auth/login", tenant: tenant, json: ["username": username, "password": password])
        guard reply.status == 200 else { throw TestFailure("login \(username)@\(tenant): \(reply.status) \(reply.code ?? "")") }
        return try reply.decoded(LoginResult.self).accessToken
    }

    /// A tenant with an admin logged in: (tenant, admin token).
    func tenantWithAdmin(_ prefix: String = "t") throws -> (tenant: String, token: String) {
        let tenant = "\(prefix)-\(Hex.encode(SecureRandom.bytes(4)))"
        let password = try createTenant(tenant)
        return (tenant, try login(tenant, "admin", password))
    }
}
