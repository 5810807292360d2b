import HTTPServer
import Platform

/// Finds the route for a request: static paths by one dictionary lookup (the
/// hot endpoints), patterned paths by a scan.
struct Router: Sendable {
    enum Match {
        case found(Route, parameters: [String: String])
        case methodNotAllowed(allowed: [String])
        case notFound
    }

    /// Every route, in the order given: what the API documentation lists.
    let routes: [Route]
    private var staticRoutes: [String: [String: Route]] = [:]  // path → method → route
    private var patternRoutes: [Route] = []

    init(_ routes: [Route]) {
        self.routes = routes
        for route in routes {
            if route.isStatic {
                staticRoutes["/" + route.segments.joined(separator: "/"), default: [:]][route.method] = route
            } else {
                patternRoutes.append(route)
            }
        }
    }

    func match(method: String, path: String) -> Match {
        // HEAD is served by the GET route; the server drops the body.
        let lookup = method == "HEAD" ? "GET" : method
        if let byMethod = staticRoutes[path] {
            if let route = byMethod[lookup] { return .found(route, parameters: [:]) }
            return .methodNotAllowed(allowed: byMethod.keys.sorted())
        }
        let segments = path.split(separator: "/")
        var allowed: [String] = []
        for route in patternRoutes {
            guard let parameters = route.match(segments) else { continue }
            if route.method == lookup { return .found(route, parameters: parameters) }
            allowed.append(route.method)
        }
        return allowed.isEmpty ? .notFound : .methodNotAllowed(allowed: allowed.sorted())
    }
}
