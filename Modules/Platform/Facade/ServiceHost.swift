import HTTPServer
import Platform

/// Serves an `OperationTable` over HTTP: what a service executable runs.
///
/// - `POST /operations/{name}`: needs a service token for this module, the
///   call's tenant, this operation and this exact body; the body is the
///   request, a 200 carries the response, an error its problem with its status.
/// - `GET /health`: 200 while the process serves.
/// - `GET /ready`: 200 when `ready()` says so (database reachable, …), else 503.
/// - `GET /contract`: the table's `ContractDescription`.
///
/// Anything else is a 401 without a genuine service token for this module,
/// and a 404 (or 405) problem with one. One JSON log line per request.
///
///     let host = ServiceHost(table: table, verifier: ServiceTokenVerifier(secret: secret, module: "payments"),
///                            configuration: configuration, ready: { pool.isHealthy })
///     try host.start()
///     // … on SIGTERM:
///     host.shutdown()
public final class ServiceHost: Sendable {
    private let server: HTTPServer

    /// - Precondition: `verifier` checks tokens for `table.module`.
    public init(
        table: OperationTable, verifier: ServiceTokenVerifier, configuration: HTTPServerConfiguration,
        ready: @escaping @Sendable () -> Bool, log: Log = .shared
    ) {
        precondition(
            verifier.module == table.module,
            "the verifier checks tokens for \(verifier.module), the table serves \(table.module)")
        server = HTTPServer(
            configuration: configuration,
            responder: ServiceResponder(table: table, verifier: verifier, ready: ready, log: log))
    }

    /// Binds and starts serving; throws `HTTPServerError.addressInUse` when the port is taken.
    public func start() throws { try server.start() }

    /// The bound port (the kernel's pick for port 0); zero before `start()`.
    public var port: Int { server.port }

    /// Stops accepting, lets in-flight calls finish (up to the configuration's grace period).
    public func shutdown() { server.shutdown() }

    public func waitUntilStopped() { server.waitUntilStopped() }
}
