import Foundation
import HTTPServer
import Platform
import Postgres

/// The gateway's request pipeline: request id → route → walls → handler →
/// problem mapping → one log line.
struct GatewayResponder: HTTPResponder {
    let router: Router
    let authentication: EdgeAuthentication
    /// Seconds every request may take (`BANYAN_REQUEST_TIMEOUT_MS`): its
    /// deadline travels in the call context to every module call.
    var requestTimeout: Double = 10
    let log: Log

    func runsOnIOThread(_ request: HTTPRequest) -> Bool {
        if case .found(let route, _) = router.match(method: request.method, path: request.path) {
            return route.nonBlocking
        }
        // Routing errors are answered without blocking too.
        return true
    }

    func respond(to request: HTTPRequest) -> HTTPResponse {
        let started = DispatchTime.now().uptimeNanoseconds
        var context = RequestContext(request: request, requestID: RequestID.resolve(request.headers["x-request-id"]))
        context.deadline = Date(timeIntervalSinceNow: requestTimeout)
        var response: HTTPResponse
        RouteTrace.begin()
        do {
            response = try route(&context)
        } catch {
            let problem = problem(for: error, context)
            response = HTTPResponse.problem(problem)
            // A refusal that says when to come back (`module_busy`) says it the HTTP way too.
            if case .int(let seconds)? = problem.extensions["retry_after"] {
                response.headers.add("retry-after", String(seconds))
            }
        }
        // Which path served each extracted module's calls, e.g. `payments=service`.
        let routes = RouteTrace.end()
        if !routes.isEmpty { response.headers.add("x-banyan-route", routes.joined(separator: ", ")) }
        response.headers.add("x-request-id", context.requestID)
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - started) / 1_000_000
        log.info(
            "request",
            [
                "method": .string(request.method), "path": .string(request.path), "status": .int(response.status),
                "duration_ms": .double((elapsed * 1000).rounded() / 1000), "request_id": .string(context.requestID),
                "tenant": .string(context.tenant?.value ?? request.headers["x-tenant-id"].map(Self.loggable) ?? ""),
            ])
        return response
    }

    private func route(_ context: inout RequestContext) throws -> HTTPResponse {
        switch router.match(method: context.request.method, path: context.request.path) {
        case .notFound:
            throw Problem.notFound("not_found", "No such endpoint.")
        case .methodNotAllowed(let allowed):
            var response = HTTPResponse.problem(
                Problem(status: 405, code: "method_not_allowed", detail: "Use \(allowed.joined(separator: ", "))."))
            response.headers.add("allow", allowed.joined(separator: ", "))
            return response
        case .found(let route, let parameters):
            context.parameters = parameters
            try authentication.admit(&context, to: route.access)
            return try route.handler(&context)
        }
    }

    private func problem(for error: any Error, _ context: RequestContext) -> Problem {
        switch error {
        case let convertible as any ProblemConvertible:
            return convertible.problem
        case let error as PostgresError
        where error.isPoolTimeout || error.isConnectionFailure || error.kind == .poolClosed:
            log.error("database unavailable", ["request_id": .string(context.requestID), "error": .string("\(error)")])
            return .unavailable("database_unavailable", "The database is not answering; try again shortly.")
        default:
            log.error("unhandled error", ["request_id": .string(context.requestID), "error": .string("\(error)")])
            return .internalError()
        }
    }

    /// Header values are client input: keep log fields short.
    private static func loggable(_ value: String) -> String { String(value.prefix(64)) }
}
