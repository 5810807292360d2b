import HTTPServer
import Metrics
import Platform

/// Serves operation tables over HTTP: one module's in a service executable,
/// several in the gateway's internal listener (the monolith's modules, for
/// services that call them while a tenant's home is still in-process).
///
/// - `POST /operations/{name}`: needs a service token for the operation's
///   module, the call's tenant, this operation and this exact body; the body
///   is the request, a 200 carries the response, an error its problem with
///   its status.
/// - `GET /health`: 200 while the process serves.
/// - `GET /ready`: 200 when `ready()` says so (database reachable, …), else 503.
/// - `GET /contract`: the table's `ContractDescription` (with several,
///   `{"modules": [...]}`); `GET /contract/{module}`: one module's.
/// - `GET /metrics`: Prometheus text, `metrics` and `MetricsRegistry.process`
///   together. Like the probes it needs no token: services listen on the
///   internal network, where the scraper is (docs/metrics.md).
///
/// Anything else is a 401 without a genuine service token for a module
/// served here, and a 404 (or 405) problem with one. One JSON log line per request.
///
///     let host = ServiceHost(table: table, verifier: ServiceTokenVerifier(secret: secret, module: "payments"),
///                            configuration: configuration, ready: { pool.isHealthy })
///     try host.start()
///     // … on SIGTERM:
///     host.shutdown()
public final class ServiceHost: Sendable {
    private let server: HTTPServer
    /// This host's figures: its requests, and what its process adds (pools, outboxes).
    public let metrics: MetricsRegistry

    /// One module's table: a service executable.
    ///
    /// - Precondition: `verifier` checks tokens for `table.module`.
    public convenience init(
        table: OperationTable, verifier: ServiceTokenVerifier, configuration: HTTPServerConfiguration,
        ready: @escaping @Sendable () -> Bool, log: Log = .shared
    ) {
        precondition(
            verifier.module == table.module,
            "the verifier checks tokens for \(verifier.module), the table serves \(table.module)")
        self.init(modules: [(table, verifier)], configuration: configuration, ready: ready, log: log)
    }

    /// Several modules' tables, each behind tokens for its own module,
    /// signed with `secret`: the gateway's internal listener.
    ///
    /// - Precondition: no two tables of one module.
    public convenience init(
        tables: [OperationTable], secret: [UInt8], configuration: HTTPServerConfiguration,
        ready: @escaping @Sendable () -> Bool, log: Log = .shared
    ) {
        self.init(
            modules: tables.map { ($0, ServiceTokenVerifier(secret: secret, module: $0.module)) },
            configuration: configuration, ready: ready, log: log)
    }

    private init(
        modules: [(table: OperationTable, verifier: ServiceTokenVerifier)], configuration: HTTPServerConfiguration,
        ready: @escaping @Sendable () -> Bool, log: Log
    ) {
        let metrics = MetricsRegistry()
        self.metrics = metrics
        server = HTTPServer(
            configuration: configuration,
            responder: ServiceResponder(modules: modules, ready: ready, metrics: metrics, log: log))
    }

    /// Binds and starts serving; throws `HTTPServerError.addressInUse` when the port is taken.
    public func start() throws { try server.start() }

    /// The bound port (the kernel's pick for port 0); zero before `start()`.
    public var port: Int { server.port }

    /// Begins the lame duck without waiting (see `HTTPServer.announceShutdown()`).
    public func announceShutdown() { server.announceShutdown() }

    /// Serves out the lame duck, stops accepting, lets in-flight calls finish
    /// (up to the configuration's grace period).
    public func shutdown() { server.shutdown() }

    public func waitUntilStopped() { server.waitUntilStopped() }
}
