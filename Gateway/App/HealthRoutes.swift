import Flags
import HTTPServer
import Platform
import Routing

/// `/health` (the process is up) and `/ready` (it can serve: the database answers).
enum HealthRoutes {
    /// The API's version, in `/health` and the API documentation.
    static let version = "0.1.0"

    static let notReady = Problem.unavailable("not_ready", "The database is not answering.")
    /// Answered by the HTTP server itself once the process is stopping (see `HTTPServerConfiguration.readinessPath`).
    static let shuttingDown = Problem.unavailable("shutting_down", "This instance is shutting down.")

    /// - Parameter modules: the modules this process serves, as `/health` lists them.
    ///   - gate: the services found incompatible are warnings in `/ready`'s body.
    static func routes(
        modules: [String], ready: @escaping @Sendable () -> Bool, flags: FlagsStore, gate: ServiceGate? = nil
    ) -> [Route] {
        let group = RouteGroup("", access: .anyone, tag: "health")
        // Encoded once: the body never changes, and this is the hottest endpoint.
        let health = PreEncodedJSON<Health>(encoding: Health(modules: modules))
        return [
            group.get("/health", summary: "The process is up, and which modules it serves", nonBlocking: true) { _ in
                health
            },
            // 200 whenever the database answers; a flags file that failed to
            // load, or a service found incompatible, is a warning in the body
            // (the last good routing, or the monolith, still serves).
            group.get("/ready", summary: "The process can serve: its database answers", problems: [notReady, shuttingDown]) { _ in
                guard ready() else { throw notReady }
                return Readiness(
                    flags: .init(
                        snapshot: flags.current,
                        warning: flags.lastError.map { "flags.json was not loaded: \($0.message)" }),
                    services: (gate?.current ?? [:]).filter { $0.value.compatible == false }.sorted { $0.key < $1.key }
                        .map { module, verdict in
                            "\(module): the service at \(verdict.url) is incompatible; its tenants stay in-process"
                        })
            },
        ]
    }

    struct Health: Codable {
        var architecture = "modular_monolith"
        var modules: [String]
        var service = "banyan-gateway"
        var status = "healthy"
        var version = HealthRoutes.version
    }

    struct Readiness: Codable {
        struct Flags: Codable {
            /// The version of the flags.json in force (`sha256:…`); null on the built-in defaults.
            var version: String?
            /// The load in force in this process (0: the built-in defaults).
            var load: Int
            /// Why the newest flags.json was refused, if it was.
            var warning: String?

            init(snapshot: FlagsSnapshot, warning: String?) {
                version = snapshot.fileVersion?.description
                load = snapshot.version
                self.warning = warning
            }

            private enum CodingKeys: String, CodingKey { case version, load, warning }

            func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: CodingKeys.self)
                // An explicit null: no file is an answer, not a missing field.
                try container.encode(version, forKey: .version)
                try container.encode(load, forKey: .load)
                try container.encodeIfPresent(warning, forKey: .warning)
            }
        }

        var database = "up"
        var flags: Flags
        /// One warning per service found incompatible (its tenants are served in-process).
        var services: [String]
        var status = "ready"
    }
}
