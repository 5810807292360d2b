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
/// | `shadow`     | as `in-process`; a read is also mirrored  | as `in-process`                        |
///
/// A shadowed read is mirrored (`ShadowMirror`) only after its in-process
/// call succeeded, and only here, where the table is: off the request path,
/// to the service URL in flags.json, the answers compared and counted.
///
/// Reading the snapshot takes no lock; only a remote call looks up (and
/// caches) the HTTP transport for its URL. Every remote call of the module
/// shares one bulkhead, whichever home it goes to.
package final class RoutedTransport: Transport {
    /// The module, registered with the flags store so a call finds its routing without hashing its name.
    private let routed: FlagsStore.RoutedModule
    package var module: String { routed.name }
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
    /// This process's circuit breakers, one per module service URL.
    private let breakers: CircuitBreakers
    /// Where shadowed reads are mirrored; nil where none are (a service process).
    private let shadow: ShadowMirror?
    /// Answer fields shadow comparisons skip (`ModuleInterface.volatileFields`).
    private let volatileFields: Set<String>
    /// Counts and times every call by operation and path (`ModuleCallMetrics`).
    private let metrics = ModuleCallMetrics.process
    /// `module=path` as `x-banyan-route` lists it, by `CallPath`: made once, not per call.
    private let traceEntries: [String]

    /// - Parameters:
    ///   - local: the module's table here when this process is its in-process home; nil elsewhere.
    ///   - monolithURL: where the in-process home serves it over HTTP, for a process without `local`.
    package init(
        interface: ModuleInterface, local: OperationTable?, monolithURL: String?, flags: FlagsStore,
        tokens: ServiceTokenIssuer, connectTimeout: Double, totalTimeout: Double, bulkhead: Bulkhead,
        gate: ServiceGate? = nil, breakers: CircuitBreakers = CircuitBreakers(), shadow: ShadowMirror? = nil
    ) {
        routed = flags.routed(interface.name)
        self.local = local.map(LocalTransport.init)
        self.monolithURL = monolithURL
        self.flags = flags
        self.tokens = tokens
        self.decodeError = { interface.decodeError($0) }
        self.timeouts = (connectTimeout, totalTimeout)
        self.bulkhead = bulkhead
        self.gate = gate
        self.breakers = breakers
        self.shadow = local == nil ? nil : shadow
        self.volatileFields = interface.volatileFields
        traceEntries = CallPath.allCases.map { "\(interface.name)=\($0.label)" }
    }

    package func call<Request, Response>(
        _ operation: Operation<Request, Response>, _ context: CallContext, _ request: Request
    ) throws -> Response {
        var (route, url) = flags.resolve(routed, tenant: context.tenant.value)
        if route == .service, local != nil, let gate, let url, gate.blocks(module: module, url: url) {
            // Incompatible with what this process calls: the tenant keeps its last compatible home, here.
            route = .inProcess
        }
        switch route {
        case .inProcess:
            return try inProcess(operation, context, request, as: .inProcess)
        case .shadow:
            // Served here; the service's answer to a read, when it comes, only ever reaches a comparison.
            let response = try inProcess(operation, context, request, as: .shadow)
            if operation.isReadOnly, let shadow { mirror(shadow, operation, context, request, response) }
            return response
        case .service:
            guard let url else {
                // The parser refuses such a file; kept as a typed failure, never a crash.
                throw ModuleUnavailable(module: module, reason: "no service URL in flags", neverReached: true)
            }
            return try service(url, operation, context, request)
        }
    }

    /// The series `operation` served by `path` is counted in (`ModuleCallMetrics`).
    @inline(__always)
    private func series<Request, Response>(_ operation: Operation<Request, Response>, _ path: CallPath)
        -> ModuleCallMetrics.Series
    {
        metrics.series(module: module, operation: operation.name, index: operation.index, path: path)
    }

    /// The module's in-process home: this process's table, or the monolith's
    /// internal listener; traced and counted as `path`. A call served by the
    /// table is timed once, by the table's own measurement (`LocalTransport`).
    private func inProcess<Request, Response>(
        _ operation: Operation<Request, Response>, _ context: CallContext, _ request: Request, as path: CallPath
    ) throws -> Response {
        RouteTrace.record(traceEntries[path.rawValue])
        let series = series(operation, path)
        if let local { return try local.call(operation, context, request, countingIn: series) }
        guard let monolithURL else {
            throw ModuleUnavailable(module: module, reason: "no monolith URL to reach it in-process", neverReached: true)
        }
        return try series.timing { try remote(monolithURL, operation, context, request) }
    }

    /// Offers the read to the shadow queue; the call to the service, made
    /// later on a shadow thread, skips the bulkhead (shadow threads are not
    /// request workers, and must not take the slots of tenants served there).
    private func mirror<Request, Response>(
        _ shadow: ShadowMirror, _ operation: Operation<Request, Response>, _ context: CallContext, _ request: Request,
        _ response: Response
    ) {
        shadow.mirror(
            operation, module: module, context: context, request: request, response: response, volatile: volatileFields
        ) { [self] shadowOperation, shadowContext, request in
            // Read when the call is made: the URL in force then (a shadow
            // home needs one, which the parser checks).
            guard let url = flags.current.serviceURL(module: module) else {
                throw ModuleUnavailable(module: module, reason: "no service URL in flags", neverReached: true)
            }
            return try transport(url).call(shadowOperation, shadowContext, request)
        }
    }

    /// The cached HTTP transport for `url`.
    private func transport(_ url: String) -> HTTPTransport {
        remotes.withLock { remotes in
            if let transport = remotes[url] { return transport }
            let transport = HTTPTransport(
                module: module, baseURL: url, tokens: tokens, decodeError: decodeError,
                connectTimeout: timeouts.connect, totalTimeout: timeouts.total)
            remotes[url] = transport
            return transport
        }
    }

    /// The module's service at `url`, behind its circuit breaker, with the
    /// module's fallback (flags.json's `"fallback": "in-process"`) for a call
    /// that surely never reached the service: refused by the open breaker,
    /// by a refused connection, or by this process's full bulkhead. Such a
    /// call runs once at the in-process home instead, which is safe: the
    /// same code over the same data, with the same idempotency key. A call
    /// whose outcome is unknown (timed out after sending, a reply cut off) is
    /// never run elsewhere: its error goes back to the caller as before.
    private func service<Request, Response>(
        _ url: String, _ operation: Operation<Request, Response>, _ context: CallContext, _ request: Request
    ) throws -> Response {
        // Read per call, so an edit of the settings or the fallback applies on the next call.
        let policy = flags.current.modules[module]?.policy ?? .standard
        let settings = policy.breaker.effective
        let breaker = breakers.breaker(module: module, url: url)
        let ticket = breaker.admit(settings)
        guard ticket.admitted else {
            let refused = ModuleUnavailable(module: module, reason: "circuit open", neverReached: true)
            // Counted on the service's path, as a call refused there: the fallback counts its own.
            series(operation, .service).record(refused: refused)
            return try fallback(policy, refused, operation, context, request)
        }
        RouteTrace.record(traceEntries[CallPath.service.rawValue])
        do {
            let response = try series(operation, .service).timing { try remote(url, operation, context, request) }
            breaker.record(.success, ticket, settings)
            return response
        } catch {
            breaker.record(breaker.outcome(of: error), ticket, settings)
            guard Fallback.neverReached(error) else { throw error }
            return try fallback(policy, error, operation, context, request)
        }
    }

    /// Runs a call that never reached the service at the module's fallback,
    /// once; without one, throws `failure` (503 at the edge, `"reached": false`).
    private func fallback<Request, Response>(
        _ policy: ServicePolicy, _ failure: any Error, _ operation: Operation<Request, Response>,
        _ context: CallContext, _ request: Request
    ) throws -> Response {
        guard policy.fallback == .inProcess else { throw failure }
        return try inProcess(operation, context, request, as: .fallback)
    }

    private func remote<Request, Response>(
        _ url: String, _ operation: Operation<Request, Response>, _ context: CallContext, _ request: Request
    ) throws -> Response {
        let transport = transport(url)
        return try bulkhead.run { try transport.call(operation, context, request) }
    }
}
