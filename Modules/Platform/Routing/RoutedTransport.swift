import Facade
import Flags
import Metrics
import Platform
import Synchronization

/// A module's transport in a process that routes: per call, the tenant's
/// home in the current flags snapshot picks the way.
///
/// | home         | this process hosts the module in-process | it does not (a service process) |
/// |--------------|------------------------------------------|---------------------------------|
/// | `in-process` | its table, called directly               | HTTP to the monolith's internal listener |
/// | `service`    | HTTP to the service URL in flags.json    | HTTP to the service URL in flags.json |
///
/// Reading the snapshot takes no lock; only a remote call looks up (and
/// caches) the HTTP transport for its URL. Every remote call of the module
/// shares one bulkhead, whichever home it goes to.
package final class RoutedTransport: Transport {
    package let module: String
    /// The table of this process, when it serves the module's in-process home (the monolith).
    private let local: LocalTransport?
    /// The monolith's internal listener, for a process that is not the monolith; nil in the monolith.
    private let monolithURL: String?
    private let flags: FlagsStore
    private let tokens: ServiceTokenIssuer
    private let decodeError: @Sendable (Problem) -> any Error
    private let timeouts: (connect: Double, total: Double)
    private let remotes = Mutex<[String: HTTPTransport]>([:])
    /// Shared by every remote URL of this module: the cap is on the module.
    private let bulkhead: Bulkhead
    /// The monolith's compatibility gate; nil elsewhere.
    private let gate: ServiceGate?
    /// Counts and times every call by operation and path (`ModuleCallMetrics`).
    private let metrics = ModuleCallMetrics.process

    /// - Parameters:
    ///   - local: the module's table here when this process is its in-process home; nil elsewhere.
    ///   - monolithURL: where the in-process home serves it over HTTP, for a process without `local`.
    package init(
        interface: ModuleInterface, local: OperationTable?, monolithURL: String?, flags: FlagsStore,
        tokens: ServiceTokenIssuer, connectTimeout: Double, totalTimeout: Double, bulkhead: Bulkhead,
        gate: ServiceGate? = nil
    ) {
        module = interface.name
        self.local = local.map(LocalTransport.init)
        self.monolithURL = monolithURL
        self.flags = flags
        self.tokens = tokens
        self.decodeError = { interface.decodeError($0) }
        self.timeouts = (connectTimeout, totalTimeout)
        self.bulkhead = bulkhead
        self.gate = gate
    }

    package func call<Request, Response>(
        _ operation: Operation<Request, Response>, _ context: CallContext, _ request: Request
    ) throws -> Response {
        var (route, url) = flags.resolve(module: module, tenant: context.tenant.value)
        if route == .service, local != nil, let gate, let url, gate.blocks(module: module, url: url) {
            // Incompatible with what this process calls: the tenant keeps its last compatible home, here.
            route = .inProcess
        }
        RouteTrace.record(module: module, route: route.rawValue)
        // Metrics: the call counted and timed under its path, whatever way it goes below.
        let series = metrics.series(module: module, operation: operation.name, path: route.rawValue)
        let started = series.start(local: route == .inProcess && local != nil)
        do {
            let response = try dispatch(route, url, operation, context, request)
            series.record(since: started)
            return response
        } catch {
            series.record(since: started, error: error)
            throw error
        }
    }

    private func dispatch<Request, Response>(
        _ route: ModuleRoute, _ url: String?, _ operation: Operation<Request, Response>, _ context: CallContext,
        _ request: Request
    ) throws -> Response {
        switch route {
        case .inProcess:
            if let local { return try local.call(operation, context, request) }
            guard let monolithURL else {
                throw ModuleUnavailable(module: module, reason: "no monolith URL to reach it in-process", neverReached: true)
            }
            return try remote(monolithURL, operation, context, request)
        case .service:
            guard let url else {
                // The parser refuses such a file; kept as a typed failure, never a crash.
                throw ModuleUnavailable(module: module, reason: "no service URL in flags", neverReached: true)
            }
            return try remote(url, operation, context, request)
        }
    }

    private func remote<Request, Response>(
        _ url: String, _ operation: Operation<Request, Response>, _ context: CallContext, _ request: Request
    ) throws -> Response {
        let transport = remotes.withLock { remotes in
            if let transport = remotes[url] { return transport }
            let transport = HTTPTransport(
                module: module, baseURL: url, tokens: tokens, decodeError: decodeError,
                connectTimeout: timeouts.connect, totalTimeout: timeouts.total)
            remotes[url] = transport
            return transport
        }
        return try bulkhead.run { try transport.call(operation, context, request) }
    }
}
