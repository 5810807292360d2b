import Foundation
import HTTPServer
import Metrics
import Platform
import Signals

/// How `ServiceHost` routes a request, inside the `RequestPipeline` it
/// shares with the gateway: route → service token → call context →
/// deadline → operation.
///
/// Only `/health`, `/ready`, `/contract`, `/contract/{module}` and
/// `/metrics` answer anyone: a service listens on the internal network only,
/// where the scraper is. Every other path and method first needs a genuine service token
/// for a module served here (else 401), so a scan learns nothing from 404s
/// and 405s; an operation call needs a token for the operation's own module,
/// signed for that operation and that exact body.
struct ServiceResponder: HTTPResponder {
    /// Every operation served, of every module, by name.
    let operations: [String: any OperationBinding]
    /// Each served module's token check, by module name.
    let verifiers: [String: ServiceTokenVerifier]
    /// Each served module's meter slot, by module name: a call from a service runs the table like a local one, and counts.
    let meters: [String: MeterSlot]
    let ready: @Sendable () -> Bool
    let pipeline: RequestPipeline
    /// Encoded once: the tables are complete before the host serves them.
    /// One module's description, or `{"modules": [...]}` for several.
    let contractBody: [UInt8]
    let contractBodies: [String: [UInt8]]
    /// This host's own figures (its requests, what its process registers
    /// on it), exposed at `/metrics` with the process-wide ones.
    let metrics: MetricsRegistry

    init(
        modules: [(table: OperationTable, verifier: ServiceTokenVerifier)], ready: @escaping @Sendable () -> Bool,
        metrics: MetricsRegistry, log: Log
    ) {
        var operations: [String: any OperationBinding] = [:]
        var verifiers: [String: ServiceTokenVerifier] = [:]
        var meters: [String: MeterSlot] = [:]
        var contracts: [ContractDescription] = []
        for (table, verifier) in modules {
            precondition(verifiers[table.module] == nil, "module \(table.module) is served twice")
            operations.merge(table.freeze().byName) { first, _ in first }
            verifiers[table.module] = verifier
            meters[table.module] = table.meter
            contracts.append(table.contract)
        }
        contracts.sort { $0.module < $1.module }
        self.operations = operations
        self.verifiers = verifiers
        self.meters = meters
        self.ready = ready
        self.metrics = metrics
        pipeline = RequestPipeline(log: log, metrics: HTTPRequestMetrics(registry: metrics, byOperation: true))
        contractBodies = Dictionary(uniqueKeysWithValues: contracts.map { ($0.module, (try? WireJSON.encode($0)) ?? []) })
        contractBody =
            contracts.count == 1
            ? contractBodies[contracts[0].module]! : (try? WireJSON.encode(ContractListing(modules: contracts))) ?? []
    }

    /// What `GET /contract` answers where several modules are served.
    private struct ContractListing: Encodable {
        var modules: [ContractDescription]
    }

    /// Health, contract and refusals are answered in microseconds without
    /// blocking; `ready()` may ask the database, and operations surely do.
    func runsOnIOThread(_ request: HTTPRequest) -> Bool {
        // A scrape runs collectors, which may ask the database (an outbox's backlog).
        request.path != "/ready" && request.path != "/metrics" && !request.path.hasPrefix(FacadeWire.operationsPrefix)
    }

    func respond(to request: HTTPRequest) -> HTTPResponse {
        pipeline.respond(to: request) { entry in try route(request, &entry) }
    }

    private func route(_ request: HTTPRequest, _ entry: inout AccessLogEntry) throws -> HTTPResponse {
        switch request.path {
        case "/health":
            entry.route = "/health"
            try require("GET", request)
            return .json(200, Array(#"{"status":"ok"}"#.utf8))
        case "/ready":
            entry.route = "/ready"
            try require("GET", request)
            guard ready() else { throw Problem.unavailable("not_ready", "The service is not ready yet.") }
            return .json(200, Array(#"{"status":"ready"}"#.utf8))
        case "/contract":
            entry.route = "/contract"
            try require("GET", request)
            return .json(200, contractBody)
        case "/metrics":
            entry.route = "/metrics"
            try require("GET", request)
            let text = PrometheusText.render(metrics.collect() + MetricsRegistry.process.collect())
            return HTTPResponse(
                status: 200, headers: HTTPHeaders([("content-type", PrometheusText.contentType)]), body: Array(text.utf8))
        case let path where path.hasPrefix(Self.contractPrefix) && request.method == "GET":
            guard let body = contractBodies[String(path.dropFirst(Self.contractPrefix.count))] else {
                try authenticate(request)
                throw Problem.notFound("not_found", "No such endpoint.")
            }
            entry.route = Self.contractPrefix + "{module}"
            return .json(200, body)
        case let path where path.hasPrefix(FacadeWire.operationsPrefix) && request.method == "POST":
            entry.route = FacadeWire.operationsPrefix + "{operation}"
            return try perform(String(path.dropFirst(FacadeWire.operationsPrefix.count)), request, &entry)
        case let path where path.hasPrefix(FacadeWire.operationsPrefix):
            try authenticate(request)
            throw Problem(status: 405, code: "method_not_allowed", detail: "Use POST.")
        default:
            try authenticate(request)
            throw Problem.notFound("not_found", "No such endpoint.")
        }
    }

    static let contractPrefix = "/contract/"

    /// The gate for what is not a public probe: a genuine, current token for
    /// a module served here (which one does not matter: it only opens the
    /// door to a 404 or 405).
    private func authenticate(_ request: HTTPRequest) throws {
        let token = try ServiceResponder.bearer(request)
        var refusal = ServiceTokenError.invalid
        for module in verifiers.keys.sorted() {
            do {
                _ = try verifiers[module]!.authenticate(token)
                return
            } catch {
                refusal = error
            }
        }
        throw refusal
    }

    private static func bearer(_ request: HTTPRequest) throws(ServiceTokenError) -> String {
        guard let authorization = request.headers[FacadeWire.Header.authorization], authorization.hasPrefix("Bearer "),
            case let token = authorization.dropFirst("Bearer ".count), !token.isEmpty
        else { throw .missing }
        return String(token)
    }

    private func require(_ method: String, _ request: HTTPRequest) throws {
        guard request.method == method else {
            throw Problem(status: 405, code: "method_not_allowed", detail: "Use \(method).")
        }
    }

    private func perform(_ name: String, _ request: HTTPRequest, _ entry: inout AccessLogEntry) throws -> HTTPResponse {
        // The operation's own module checks the token: one for payments cannot call inventory.
        let module = Operation<Empty, Empty>.module(of: name)
        guard let verifier = verifiers[module] else {
            try authenticate(request)
            throw LocalTransport.unknown(name)
        }
        let context = try callContext(request, operation: name, verifier: verifier, requestID: entry.requestID)
        entry.tenant = context.tenant.value
        guard let binding = operations[name] else { throw LocalTransport.unknown(name) }
        entry.operation = name
        if let deadline = context.deadline, DeadlineClock.secondsLeft(until: deadline) <= 0 { throw DeadlineExceeded() }
        guard let meter = meters[module]?.current else {
            return .json(200, try binding.serve(context, body: request.body))
        }
        // Decoding and encoding included: over HTTP they are part of what the call costs the module.
        return .json(200, try LocalTransport.measured(in: meter) { try binding.serve(context, body: request.body) })
    }

    /// The caller's context, rebuilt from the headers and held to the token:
    /// the signed claims must name the same tenant, user and role, this
    /// operation and this body.
    private func callContext(
        _ request: HTTPRequest, operation: String, verifier: ServiceTokenVerifier, requestID: String
    ) throws -> CallContext {
        let headers = request.headers
        // Genuine first: a caller without a valid token learns nothing, not even a 400.
        let claims = try verifier.authenticate(try ServiceResponder.bearer(request))
        guard let tenantHeader = headers[FacadeWire.Header.tenant] else {
            throw Problem.badRequest("missing_tenant", "Send the tenant as x-tenant-id.")
        }
        try verifier.authorize(claims, tenant: tenantHeader, operation: operation, body: request.body)
        guard let tenant = TenantID(tenantHeader) else {
            throw Problem.badRequest("invalid_tenant", "x-tenant-id is not a valid tenant id.")
        }
        var role: Role?
        if let roleHeader = headers[FacadeWire.Header.role] {
            guard let parsed = Role(rawValue: roleHeader) else {
                throw Problem.badRequest("invalid_role", "x-role is not a role.")
            }
            role = parsed
        }
        let user = headers[FacadeWire.Header.user]
        guard claims.subject == user ?? FacadeWire.systemSubject, claims.role == role?.rawValue ?? FacadeWire.noRole
        else { throw ServiceTokenError.contextMismatch }
        var deadline: Date?
        if let deadlineHeader = headers[FacadeWire.Header.deadline] {
            guard let parsed = FacadeWire.deadline(header: deadlineHeader) else {
                throw Problem.badRequest("invalid_deadline", "x-deadline must be unix milliseconds.")
            }
            deadline = parsed
        }
        return CallContext(
            tenant: tenant, userID: user, role: role, requestID: requestID,
            idempotencyKey: headers[FacadeWire.Header.idempotencyKey],
            traceparent: headers[FacadeWire.Header.traceparent], deadline: deadline)
    }
}
