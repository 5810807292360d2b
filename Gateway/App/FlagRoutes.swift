import Flags
import Foundation
import HTTPServer
import Platform

/// `GET /admin/flags`: the routing flags.json snapshot in force right now,
/// which file and load it came from, and why the newest file was refused, if
/// it was — what an operator checks after editing flags.json.
enum FlagRoutes {
    static func routes(flags: FlagsStore) -> [Route] {
        [
            // Non-blocking: one atomic load and a short lock on the last error, never the file.
            Route("GET", "/admin/flags", access: .operator, nonBlocking: true) { _ in
                try JSONCoding.response(FlagsReport(snapshot: flags.current, lastError: flags.lastError))
            }
        ]
    }

    /// `{"active": {"services", "modules"}, "source", "loaded_at", "version", "last_error": {"message", "at"} | null}`
    private struct FlagsReport: Encodable {
        let snapshot: FlagsSnapshot
        let lastError: (message: String, at: Date)?

        private enum CodingKeys: String, CodingKey {
            case active, source, version
            case loadedAt = "loaded_at"
            case lastError = "last_error"
        }

        private struct LoadError: Encodable {
            let message: String
            let at: Date
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(snapshot.json, forKey: .active)
            try container.encode(snapshot.source, forKey: .source)
            try container.encode(snapshot.loadedAt, forKey: .loadedAt)
            try container.encode(snapshot.version, forKey: .version)
            // An explicit null, so clients can tell "no error" from an older gateway without the field.
            if let lastError {
                try container.encode(LoadError(message: lastError.message, at: lastError.at), forKey: .lastError)
            } else {
                try container.encodeNil(forKey: .lastError)
            }
        }
    }
}
