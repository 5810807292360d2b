import Flags
import HTTPServer
import Platform

/// `/health` (the process is up) and `/ready` (it can serve: the database answers).
enum HealthRoutes {
    static let healthBody = Array(
        #"{"architecture":"modular_monolith","modules":["auth","chatbot","inventory","orders","payments","restaurant"],"service":"banyan-gateway","status":"healthy","version":"0.1.0"}"#
            .utf8)

    /// `/ready` is 200 whenever the database answers; a flags file that failed
    /// to load is a warning in the body (the last good routing still serves).
    static func routes(ready: @escaping @Sendable () -> Bool, flags: FlagsStore) -> [Route] {
        [
            Route("GET", "/health", access: .anyone, nonBlocking: true) { _ in
                .json(200, healthBody)
            },
            Route("GET", "/ready", access: .anyone) { _ in
                guard ready() else { return .problem(.unavailable("not_ready", "The database is not answering.")) }
                var body = #"{"database":"up","flags":{"version":"# + String(flags.current.version)
                if let error = flags.lastError {
                    body += #","warning":"#
                    JSONText.appendString("flags.json was not loaded: \(error.message)", to: &body)
                }
                body += #"},"status":"ready"}"#
                return .json(200, Array(body.utf8))
            },
        ]
    }
}
