import HTTPServer

/// One endpoint of the gateway: what it answers, who may call it, and how.
struct Route: Sendable {
    /// Who may call a route; checked before its handler runs.
    enum Access: Sendable {
        /// Anyone (health probes).
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
    /// Path segments; a segment `{name}` captures that path parameter.
    let segments: [Substring]
    let access: Access
    /// True for handlers that never block (no database, no outbound call):
    /// the server may run them on its I/O thread and skip the worker hand-off.
    let nonBlocking: Bool
    let handler: Handler

    init(_ method: String, _ pattern: String, access: Access, nonBlocking: Bool = false, handler: @escaping Handler) {
        self.method = method
        self.segments = pattern.split(separator: "/")
        self.access = access
        self.nonBlocking = nonBlocking
        self.handler = handler
    }

    var isStatic: Bool { !segments.contains { $0.hasPrefix("{") } }

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
