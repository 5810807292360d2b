import Foundation
import HTTPServer
import Metrics
import Platform
import Routing
import Postgres
import Security

/// How the gateway routes a request, inside the `RequestPipeline` it shares
/// with every service: route → walls → handler. Adds what only the gateway
/// has: the request's deadline, which path served each module's calls
/// (`x-banyan-route`), a database outage answered as 503, and the start of
/// the request's trace (`traceparent`), which every module call carries on.
struct GatewayResponder: HTTPResponder {
    let router: Router
    let authentication: EdgeAuthentication
    /// Seconds every request may take (`BANYAN_REQUEST_TIMEOUT_MS`): its
    /// deadline travels in the call context to every module call.
    let requestTimeout: Double
    private let pipeline: RequestPipeline

    init(
        router: Router, authentication: EdgeAuthentication, requestTimeout: Double = 10,
        metrics: HTTPRequestMetrics? = nil, log: Log
    ) {
        self.router = router
        self.authentication = authentication
        self.requestTimeout = requestTimeout
        pipeline = RequestPipeline(
            log: log, problem: GatewayResponder.databaseOutage, metrics: metrics,
            startTrace: { [traceIDs = TraceIDs()] in traceIDs.next() })
    }

    func runsOnIOThread(_ request: HTTPRequest) -> Bool {
        if case .found(let route, _) = router.match(method: request.method, path: request.path) {
            return route.nonBlocking
        }
        // Routing errors are answered without blocking too.
        return true
    }

    func respond(to request: HTTPRequest) -> HTTPResponse {
        RouteTrace.begin()
        var response = pipeline.respond(to: request) { entry in
            var context = RequestContext(request: request, requestID: entry.requestID)
            context.deadline = Date(timeIntervalSinceNow: requestTimeout)
            context.traceparent = entry.trace?.description
            defer { entry.tenant = context.tenant?.value }
            return try route(&context, &entry)
        }
        // Which path served each extracted module's calls, e.g. `payments=service`.
        let routes = RouteTrace.end()
        if !routes.isEmpty { response.headers.add("x-banyan-route", routes.joined(separator: ", ")) }
        return response
    }

    private func route(_ context: inout RequestContext, _ entry: inout AccessLogEntry) throws -> HTTPResponse {
        switch router.match(method: context.request.method, path: context.request.path) {
        case .notFound:
            throw Problem.notFound("not_found", "No such endpoint.")
        case .methodNotAllowed(let allowed):
            var response = HTTPResponse.problem(
                Problem(status: 405, code: "method_not_allowed", detail: "Use \(allowed.joined(separator: ", "))."))
            response.headers.add("allow", allowed.joined(separator: ", "))
            return response
        case .found(let route, let parameters):
            entry.route = route.pattern
            context.parameters = parameters
            try authentication.admit(&context, to: route.access)
            return try route.handler(&context)
        }
    }

    /// A database that is not answering is an outage to retry, not a bug.
    private static func databaseOutage(_ error: any Error) -> Problem? {
        guard let error = error as? PostgresError,
            error.isPoolTimeout || error.isConnectionFailure || error.kind == .poolClosed
        else { return nil }
        return .unavailable("database_unavailable", "The database is not answering; try again shortly.")
    }
}
