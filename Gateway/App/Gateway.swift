import Auth
import AuthAPI
import HTTPServer
import Platform
import Postgres
import Security

/// The composition root: wires each module's implementation behind its
/// facade, puts HTTP in front, and owns their lifetimes.
public final class Gateway: Sendable {
    /// The schemas every module of the monolith needs, migrated at start.
    public static let modules: [ModuleSchema] = [AuthSchema.module]

    public let auth: any AuthFacade
    private let server: HTTPServer

    public init(
        database: Database, jwtSecret: [UInt8], opsToken: String,
        server configuration: HTTPServerConfiguration, passwordHasher: PasswordHasher = PasswordHasher(),
        log: Log = .shared
    ) {
        let signer = JWTSigner(secret: jwtSecret)
        auth = AuthService(pool: database.pool(for: "auth"), signer: signer, hasher: passwordHasher)
        let router = Router(
            HealthRoutes.routes(ready: { database.ping() })
                + AuthRoutes.routes(auth: auth)
                + AdminRoutes.routes(auth: auth))
        let responder = GatewayResponder(
            router: router, authentication: EdgeAuthentication(signer: signer, opsToken: Array(opsToken.utf8)),
            log: log)
        server = HTTPServer(configuration: configuration, responder: responder)
    }

    public func start() throws { try server.start() }

    public var port: Int { server.port }

    /// Stops accepting, lets in-flight requests finish, closes connections.
    public func shutdown() { server.shutdown() }

    public func waitUntilStopped() { server.waitUntilStopped() }
}
