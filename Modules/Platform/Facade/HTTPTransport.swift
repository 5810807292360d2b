import Foundation
import HTTPClient
import Platform

/// Sends an operation call to the module's service as JSON:
/// `POST {baseURL}/operations/{name}` with a service token signed for this
/// call alone (its operation and the SHA-256 of its body) and the
/// `CallContext` in headers (see `ServiceHost`).
///
/// A 2xx is read as the `Response` and nothing else; a problem reply is
/// turned back into the module's typed error by `decodeError`; anything
/// else — refused, timed out, garbled, an error status without a problem,
/// a 502/503/504 problem that is not the module's — is `ModuleUnavailable`. So a failure is never taken for a success, and a
/// domain error is never taken for an outage.
///
/// `call` blocks its thread (libcurl), so call it from worker threads.
public final class HTTPTransport: Transport {
    public let module: String
    private let operationsURL: String
    private let tokens: ServiceTokenIssuer
    private let decodeError: @Sendable (Problem) -> any Error
    private let client: HTTPClient
    private let connectTimeout: Double
    private let totalTimeout: Double

    /// - Parameters:
    ///   - baseURL: the service, e.g. `http://127.0.0.1:4004`.
    ///   - decodeError: usually the module's table's `decodeError`, or
    ///     `OperationTable.decodeError(_:moduleDecoder:)` with the module's decoder.
    ///   - connectTimeout, totalTimeout: seconds; a call's deadline shortens both.
    public init(
        module: String, baseURL: String, tokens: ServiceTokenIssuer, decodeError: @escaping @Sendable (Problem) -> any Error,
        client: HTTPClient = .shared, connectTimeout: Double = 1, totalTimeout: Double = 5
    ) {
        precondition(connectTimeout > 0 && totalTimeout > 0, "timeouts must be positive")
        self.module = module
        var base = baseURL
        while base.hasSuffix("/") { base.removeLast() }
        operationsURL = base + FacadeWire.operationsPrefix
        self.tokens = tokens
        self.decodeError = decodeError
        self.client = client
        self.connectTimeout = connectTimeout
        self.totalTimeout = totalTimeout
    }

    public func call<Request, Response>(
        _ operation: Operation<Request, Response>, _ context: CallContext, _ request: Request
    ) throws -> Response {
        var total = totalTimeout
        if let deadline = context.deadline {
            let left = DeadlineClock.secondsLeft(until: deadline)
            guard left > 0 else { throw DeadlineExceeded() }
            total = min(total, left)
        }
        let body = try WireJSON.encode(request)
        let token = tokens.token(module: module, operation: operation.name, body: body, context: context)
        let reply: HTTPClientResponse
        do {
            // A write goes out on a connection of its own, so "could not
            // connect" proves it never reached the service (see `neverReached`).
            reply = try client.send(
                method: "POST", url: operationsURL + operation.name, headers: headers(context, token: token), body: body,
                connectTimeout: min(connectTimeout, total), totalTimeout: total,
                freshConnection: !operation.isReadOnly)
        } catch {
            throw ModuleUnavailable(
                module: module, reason: HTTPTransport.reason(error),
                neverReached: error.isConnectFailure && !operation.isReadOnly)
        }
        if (200...299).contains(reply.status) {
            do {
                return try WireJSON.decode(Response.self, from: reply.body)
            } catch {
                throw ModuleUnavailable(module: module, reason: "malformed reply")
            }
        }
        guard let problem = FacadeWire.problem(status: reply.status, body: reply.body) else {
            throw ModuleUnavailable(module: module, reason: "status \(reply.status) without a problem")
        }
        let error = decodeError(problem)
        // A 502/503/504 no decoder claimed came from the service's machinery
        // (its server busy, a proxy's gateway error), not from the module.
        if error is Problem, (502...504).contains(problem.status) {
            throw ModuleUnavailable(module: module, reason: "service answered \(problem.status) \(problem.code)")
        }
        throw error
    }

    private func headers(_ context: CallContext, token: String) -> [(name: String, value: String)] {
        var headers: [(name: String, value: String)] = [
            ("content-type", "application/json"),
            ("accept", "application/json"),
            (FacadeWire.Header.authorization, "Bearer " + token),
            (FacadeWire.Header.tenant, context.tenant.value),
            (FacadeWire.Header.requestID, context.requestID),
        ]
        if let user = context.userID { headers.append((FacadeWire.Header.user, user)) }
        if let role = context.role { headers.append((FacadeWire.Header.role, role.rawValue)) }
        if let traceparent = context.traceparent { headers.append((FacadeWire.Header.traceparent, traceparent)) }
        if let key = context.idempotencyKey { headers.append((FacadeWire.Header.idempotencyKey, key)) }
        if let deadline = context.deadline {
            headers.append((FacadeWire.Header.deadline, FacadeWire.deadlineHeader(deadline)))
        }
        return headers
    }

    private static func reason(_ error: HTTPClientError) -> String {
        switch error {
        case .connectFailed: "connection refused"
        case .connectTimedOut: "connect timed out"
        case .timedOut: "timed out"
        case .responseTooLarge: "reply too large"
        case .invalidURL: "invalid service URL"
        case .invalidRequest: "request cannot be sent"
        default: "transport error"
        }
    }
}
