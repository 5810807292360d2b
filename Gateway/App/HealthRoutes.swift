import HTTPServer
import Platform

/// `/health` (the process is up) and `/ready` (it can serve: the database answers).
enum HealthRoutes {
    static let healthBody = Array(
        #"{"architecture":"modular_monolith","modules":["auth","chatbot","inventory","orders","payments","restaurant"],"service":"banyan-gateway","status":"healthy","version":"0.1.0"}"#
            .utf8)

    static func routes(ready: @escaping @Sendable () -> Bool) -> [Route] {
        [
            Route("GET", "/health", access: .anyone, nonBlocking: true) { _ in
                .json(200, healthBody)
            },
            Route("GET", "/ready", access: .anyone) { _ in
                ready()
                    ? .json(200, Array(#"{"database":"up","status":"ready"}"#.utf8))
                    : .problem(.unavailable("not_ready", "The database is not answering."))
            },
        ]
    }
}
