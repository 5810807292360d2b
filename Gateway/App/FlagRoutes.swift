import Flags
import Foundation
import HTTPServer
import Platform
import Routing

/// `GET /admin/flags`: the routing flags.json snapshot in force right now,
/// which file and load it came from, and why the newest file was refused, if
/// it was, and what the compatibility gate found of each service it names
/// — what an operator checks after editing flags.json.
enum FlagRoutes {
    static func routes(flags: FlagsStore, gate: ServiceGate? = nil) -> [Route] {
        let group = RouteGroup("/admin/flags", access: .operator)
        return [
            // Non-blocking: one atomic load and short locks on the last error and the verdicts, never the file.
            group.get(
                summary: "The routing in force, its file and load, the last load error, the services' compatibility",
                nonBlocking: true
            ) { _ in
                let snapshot = flags.current
                return ETagged(
                    body: FlagsReport(snapshot: snapshot, lastError: flags.lastError, gate: gate?.current ?? [:]),
                    etag: snapshot.fileVersion?.etag)
            }
        ]
    }

    /// `{"active": {"services", "modules"}, "source", "loaded_at", "version": "sha256:…" | null, "load",
    /// "last_error": {"message", "at"} | null,
    /// "gate": {module: {"url", "checked_at", "compatible": bool | null, "breaking": [...], "error"}}}`,
    /// with `ETag: "sha256:…"` when the routing came from a file.
    struct FlagsReport: Codable {
        /// flags.json's own shape: `services` and `modules`.
        let active: JSONValue
        let source: String
        let loadedAt: Date
        /// The version of the file in force (`sha256:…`, what `If-Match`
        /// names); null on the built-in defaults, read from no file.
        let version: String?
        /// Successful loads in this process (0: the defaults): a reload
        /// shows here even when the file's version is one seen before.
        let load: Int
        let lastError: LoadError?
        /// Per module with a service in `active`: whether that service still
        /// serves what the gateway calls; one found incompatible is not
        /// called (its tenants are served in-process) until it is again.
        let gate: [String: Verdict]

        struct LoadError: Codable {
            let message: String
            let at: Date
        }

        struct Verdict: Codable {
            let url: String
            let checkedAt: Date
            /// null: the service could not be asked (`error` says why), which gates nothing.
            let compatible: Bool?
            let breaking: [String]
            let error: String?

            private enum CodingKeys: String, CodingKey {
                case url, compatible, breaking, error
                case checkedAt = "checked_at"
            }

            func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: CodingKeys.self)
                try container.encode(url, forKey: .url)
                try container.encode(checkedAt, forKey: .checkedAt)
                try container.encode(compatible, forKey: .compatible)
                try container.encode(breaking, forKey: .breaking)
                try container.encode(error, forKey: .error)
            }
        }

        init(snapshot: FlagsSnapshot, lastError: (message: String, at: Date)?, gate: [String: ServiceGate.Verdict]) {
            active = snapshot.json
            source = snapshot.source
            loadedAt = snapshot.loadedAt
            version = snapshot.fileVersion?.description
            load = snapshot.version
            self.lastError = lastError.map { LoadError(message: $0.message, at: $0.at) }
            self.gate = gate.mapValues {
                Verdict(url: $0.url, checkedAt: $0.checkedAt, compatible: $0.compatible, breaking: $0.breaking, error: $0.error)
            }
        }

        private enum CodingKeys: String, CodingKey {
            case active, source, version, load, gate
            case loadedAt = "loaded_at"
            case lastError = "last_error"
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(active, forKey: .active)
            try container.encode(source, forKey: .source)
            try container.encode(loadedAt, forKey: .loadedAt)
            // null, not absent: a gateway on the defaults has no file, and says so.
            try container.encode(version, forKey: .version)
            try container.encode(load, forKey: .load)
            // An explicit null, so clients can tell "no error" from an older gateway without the field.
            try container.encode(lastError, forKey: .lastError)
            try container.encode(gate, forKey: .gate)
        }
    }
}
