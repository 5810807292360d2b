import Flags
import Foundation
import HTTPServer
import Platform

/// `GET /admin/flags`: the routing flags.json snapshot in force right now,
/// which file and load it came from, and why the newest file was refused, if
/// it was — what an operator checks after editing flags.json.
enum FlagRoutes {
    static func routes(flags: FlagsStore) -> [Route] {
        let group = RouteGroup("/admin/flags", access: .operator)
        return [
            // Non-blocking: one atomic load and a short lock on the last error, never the file.
            group.get(summary: "The routing in force, its file and load, the last load error", nonBlocking: true) { _ in
                FlagsReport(snapshot: flags.current, lastError: flags.lastError)
            }
        ]
    }

    /// `{"active": {"services", "modules"}, "source", "loaded_at", "version", "last_error": {"message", "at"} | null}`
    struct FlagsReport: Codable {
        /// flags.json's own shape: `services` and `modules`.
        let active: JSONValue
        let source: String
        let loadedAt: Date
        let version: Int
        let lastError: LoadError?

        struct LoadError: Codable {
            let message: String
            let at: Date
        }

        init(snapshot: FlagsSnapshot, lastError: (message: String, at: Date)?) {
            active = snapshot.json
            source = snapshot.source
            loadedAt = snapshot.loadedAt
            version = snapshot.version
            self.lastError = lastError.map { LoadError(message: $0.message, at: $0.at) }
        }

        private enum CodingKeys: String, CodingKey {
            case active, source, version
            case loadedAt = "loaded_at"
            case lastError = "last_error"
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(active, forKey: .active)
            try container.encode(source, forKey: .source)
            try container.encode(loadedAt, forKey: .loadedAt)
            try container.encode(version, forKey: .version)
            // An explicit null, so clients can tell "no error" from an older gateway without the field.
            try container.encode(lastError, forKey: .lastError)
        }
    }
}
