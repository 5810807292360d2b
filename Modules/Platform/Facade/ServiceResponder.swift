import Foundation
import HTTPServer
import Platform

/// How `ServiceHost` routes a request, inside the `RequestPipeline` it
/// shares with the gateway: route → service token → call context →
/// deadline → operation.
///
/// Only `/health`, `/ready` and `/contract` answer anyone. Every other path
/// and method first needs a genuine service token for this module (else
/// 401), so a scan learns nothing from 404s and 405s; an operation call
/// needs a token signed for that operation and that exact body.
struct ServiceResponder: HTTPResponder {
    let operations: [String: any OperationBinding]
    let verifier: ServiceTokenVerifier
    let ready: @Sendable () -> Bool
    let pipeline: RequestPipeline
    /// Encoded once: the table is complete before the host serves it.
    let contractBody: [UInt8]

    init(table: OperationTable, verifier: ServiceTokenVerifier, ready: @escaping @Sendable () -> Bool, log: Log) {
        operations = table.freeze().byName
        self.verifier = verifier
        self.ready = ready
        pipeline = RequestPipeline(log: log)
        contractBody = (try? WireJSON.encode(table.contract)) ?? []
    }

    /// Health, contract and refusals are answered in microseconds without
    /// blocking; `ready()` may ask the database, and operations surely do.
    func runsOnIOThread(_ request: HTTPRequest) -> Bool {
        request.path != "/ready" && !request.path.hasPrefix(FacadeWire.operationsPrefix)
    }

    func respond(to request: HTTPRequest) -> HTTPResponse {
        pipeline.respond(to: request) { entry in try route(request, &entry) }
    }

    private func route(_ request: HTTPRequest, _ entry: inout AccessLogEntry) throws -> HTTPResponse {
        switch request.path {
        case "/health":
            try require("GET", request)
            return .json(200, Array(#"{"status":"ok"}"#.utf8))
        case "/ready":
            try require("GET", request)
            guard ready() else { throw Problem.unavailable("not_ready", "The service is not ready yet.") }
            return .json(200, Array(#"{"status":"ready"}"#.utf8))
        case "/contract":
            try require("GET", request)
            return .json(200, contractBody)
        case let path where path.hasPrefix(FacadeWire.operationsPrefix) && request.method == "POST":
            return try perform(String(path.dropFirst(FacadeWire.operationsPrefix.count)), request, &entry)
        case let path where path.hasPrefix(FacadeWire.operationsPrefix):
            try authenticate(request)
            throw Problem(status: 405, code: "method_not_allowed", detail: "Use POST.")
        default:
            try authenticate(request)
            throw Problem.notFound("not_found", "No such endpoint.")
        }
    }

    /// The gate for what is not a public probe: a genuine, current token for this module.
    private func authenticate(_ request: HTTPRequest) throws {
        _ = try verifier.authenticate(try ServiceResponder.bearer(request))
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
        let context = try callContext(request, operation: name, requestID: entry.requestID)
        entry.tenant = context.tenant.value
        guard let binding = operations[name] else { throw LocalTransport.unknown(name) }
        entry.operation = name
        if let deadline = context.deadline, DeadlineClock.secondsLeft(until: deadline) <= 0 { throw DeadlineExceeded() }
        return .json(200, try binding.serve(context, body: request.body))
    }

    /// The caller's context, rebuilt from the headers and held to the token:
    /// the signed claims must name the same tenant, user and role, this
    /// operation and this body.
    private func callContext(_ request: HTTPRequest, operation: String, requestID: String) throws -> CallContext {
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
