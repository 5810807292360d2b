import HTTPServer
import Platform

/// One endpoint of the gateway: what it answers, who may call it, how, and
/// what it tells the API documentation. Made by a `RouteGroup`.
///
/// A class, immutable: a matched request takes one reference to it, not a
/// copy of every field (its documentation included) on the hot path.
final class Route: Sendable {
    /// Who may call a route; checked before its handler runs.
    enum Access: Sendable {
        /// Anyone (health probes, the API documentation).
        case anyone
        /// Needs `x-tenant-id`, no token (login).
        case tenant
        /// Needs `x-tenant-id` and a user token for that tenant.
        case user
        /// Needs the ops token (`/admin`).
        case `operator`
    }

    typealias Handler = @Sendable (inout RequestContext) throws -> HTTPResponse

    let method: String
    /// The path as declared, e.g. `/api/v1/orders/{id}`.
    let pattern: String
    /// Path segments; a segment `{name}` captures that path parameter.
    let segments: [Substring]
    let access: Access
    /// True for handlers that never block (no database, no outbound call):
    /// the server may run them on its I/O thread and skip the worker hand-off.
    let nonBlocking: Bool
    let documentation: RouteDocumentation
    let handler: Handler

    init(
        _ method: String, _ pattern: String, access: Access, nonBlocking: Bool, documentation: RouteDocumentation,
        handler: @escaping Handler
    ) {
        self.method = method
        self.pattern = pattern
        self.segments = pattern.split(separator: "/")
        self.access = access
        self.nonBlocking = nonBlocking
        self.documentation = documentation
        self.handler = handler
    }

    /// The same route, refusing a body over `limit` bytes with `problem` before its handler decodes anything.
    func refusingBodies(over limit: Int, with problem: Problem) -> Route {
        let handler = self.handler
        return Route(method, pattern, access: access, nonBlocking: nonBlocking, documentation: documentation) {
            context in
            guard context.request.body.count <= limit else { throw problem }
            return try handler(&context)
        }
    }

    var isStatic: Bool { !segments.contains { $0.hasPrefix("{") } }

    /// The names of the path parameters, in path order.
    var parameterNames: [String] {
        segments.filter { $0.hasPrefix("{") }.map { String($0.dropFirst().dropLast()) }
    }

    /// Path parameters when `path` matches this route's pattern.
    func match(_ pathSegments: [Substring]) -> [String: String]? {
        guard pathSegments.count == segments.count else { return nil }
        var parameters: [String: String] = [:]
        for (pattern, actual) in zip(segments, pathSegments) {
            if pattern.hasPrefix("{") {
                parameters[String(pattern.dropFirst().dropLast())] = String(actual)
            } else if pattern != actual {
                return nil
            }
        }
        return parameters
    }
}
