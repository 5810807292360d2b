import Flags
import FlagsAudit
import Foundation
import HTTPServer
import Platform
import Routing

/// `GET /admin/flags`: the routing flags.json snapshot in force right now,
/// which file, version and load it came from, and why the newest file was
/// refused, if it was, and what the compatibility gate found of each service
/// it names — what an operator checks after editing flags.json. Beside it
/// the control plane (`FlagsChanges`): `POST /admin/flags/preview`, `PUT
/// /admin/flags` and `GET /admin/flags/history`.
package enum FlagRoutes {
    static let historyModule = QueryParameter.optionalString("module")
    static let historyTenant = QueryParameter.optionalString("tenant")
    static let historyLimit = QueryParameter.int("limit", in: 1...FlagsAuditLog.maximumHistoryLimit, default: 50)
    static let historyVersion = QueryParameter.flagsVersionPrefix("version")

    static let actorHeader = HeaderDocumentation(
        name: "x-banyan-actor", required: true, description: "Who makes the change, for the audit trail.")
    static let ifMatchHeader = HeaderDocumentation(
        name: "If-Match", required: true,
        description: "The version the change was made from: GET /admin/flags's ETag. Stale: 412.")
    static let sourceHeader = HeaderDocumentation(
        name: "x-banyan-source", required: false,
        description: "`cli` when `banyan flags` makes the change; else `api`. Recorded in the audit trail.")
    static let invalidSource = Problem.badRequest("invalid_source", "x-banyan-source must be cli or api.")

    static func routes(
        flags: FlagsStore, gate: ServiceGate? = nil, changes: FlagsChanges
    ) -> [Route] {
        let group = RouteGroup("/admin/flags", access: .operator)
        return controlRoutes(group: group, changes: changes, audit: changes.audit) + [
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

    /// `PUT /admin/flags`, `POST /admin/flags/preview`, `GET /admin/flags/history`.
    private static func controlRoutes(group: RouteGroup, changes: FlagsChanges, audit: FlagsAuditLog) -> [Route] {
        [
            group.post(
                "/preview", summary: "What a candidate flags.json would change, and what the gate would refuse",
                body: Candidate.self,
                problems: [FlagsChanges.invalidFlags, FlagsChanges.unreadable]
            ) { _, candidate in
                let checked = try changes.check(candidate.document)
                return FlagsChanges.Previewed(
                    changes: FlagsChanges.ChangeList(checked.preview), refused: checked.findings)
            },
            group.put(
                summary: "Replace flags.json: checked by the gate, only from the version read, audited",
                body: Replacement.self, headers: [actorHeader, ifMatchHeader, sourceHeader],
                problems: [
                    FlagsChanges.actorRequired, invalidSource, FlagsChanges.preconditionRequired, FlagsChanges.staleExample,
                    FlagsChanges.reasonRequired, FlagsChanges.invalidFlags, FlagsChanges.refusedExample,
                    FlagsChanges.missing, FlagsChanges.unreadable, FlagsChanges.unwritable,
                ]
            ) { context, replacement in
                let actor = context.request.headers["x-banyan-actor"]?.trimmingCharacters(in: .whitespaces) ?? ""
                guard !actor.isEmpty else { throw FlagsChanges.actorRequired }
                guard let ifMatch = context.request.headers["if-match"] else {
                    throw FlagsChanges.preconditionRequired
                }
                guard let expected = FlagsVersion(ifMatch.trimmingCharacters(in: .whitespaces)) else {
                    throw Problem(
                        status: 412, code: "version_mismatch",
                        detail: "If-Match is not a flags version (\"sha256:…\", as GET /admin/flags's ETag).")
                }
                let source: FlagChangeRecord.Source
                switch context.request.headers["x-banyan-source"] {
                case nil, "api": source = .api
                case "cli": source = .cli
                default: throw invalidSource
                }
                guard let reason = replacement.reason, !reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
                else { throw FlagsChanges.reasonRequired }
                return try changes.apply(
                    replacement.document, expected: expected, actor: actor, source: source, reason: reason,
                    forceReason: replacement.forceReason)
            },
            group.get(
                "/history", summary: "Recorded flags.json changes, newest first",
                query: [historyModule, historyTenant, historyVersion, historyLimit]
            ) { context in
                try audit.history(
                    module: try context.query(historyModule), tenant: try context.query(historyTenant),
                    version: try context.query(historyVersion), limit: try context.query(historyLimit)
                ).map(HistoryEntry.init)
            },
            group.get(
                "/status",
                summary: "Every tenant's home per module, the services' readiness and contracts, which gateways applied the version"
            ) { _ in
                try changes.status()
            },
            group.get("/applied", summary: "Whether every running gateway routes by the version in force") { _ in
                try changes.applied()
            },
        ]
    }

    /// `POST /admin/flags/preview`'s body.
    package struct Candidate: Codable, Sendable {
        /// A whole flags.json: `services` and `modules`.
        package let document: JSONValue

        package init(document: JSONValue) {
            self.document = document
        }
    }

    /// `PUT /admin/flags`'s body.
    package struct Replacement: Codable, Sendable {
        /// A whole flags.json: `services` and `modules`.
        package let document: JSONValue
        /// Why: required (422 `reason_required` without it).
        package let reason: String?
        /// Overrides a gate refusal, saying why; recorded as `forced`.
        package let forceReason: String?

        package init(document: JSONValue, reason: String?, forceReason: String?) {
            self.document = document
            self.reason = reason
            self.forceReason = forceReason
        }

        private enum CodingKeys: String, CodingKey {
            case document, reason
            case forceReason = "force_reason"
        }
    }

    /// One recorded change, as `GET /admin/flags/history` lists it.
    package struct HistoryEntry: Codable, Sendable {
        package let id: Int64
        package let at: Date
        package let actor: String
        /// `api`, `cli` or `file` (a hand edit a reload saw).
        package let source: String
        package let reason: String?
        package let fromVersion: String?
        package let toVersion: String?
        package let before: JSONValue?
        package let after: JSONValue?
        /// `{"module", "tenant", "setting", "from", "to"}` per setting moved.
        package let changes: [JSONValue]
        package let gate: FlagsChanges.Gate

        private enum CodingKeys: String, CodingKey {
            case id, at, actor, source, reason, before, after, changes, gate
            case fromVersion = "from_version"
            case toVersion = "to_version"
        }

        init(_ record: FlagChangeRecord) throws {
            id = record.id ?? 0
            at = record.at ?? Date(timeIntervalSince1970: 0)
            actor = record.actor
            source = record.source.rawValue
            reason = record.reason
            fromVersion = record.fromVersion
            toVersion = record.toVersion
            before = record.before
            after = record.after
            changes = try record.changes.map { try WireJSON.decode(JSONValue.self, from: try WireJSON.encode($0)) }
            gate = FlagsChanges.Gate(record.gate)
        }
    }

    /// `{"active": {"services", "modules"}, "source", "loaded_at", "version": "sha256:…" | null, "load",
    /// "last_error": {"message", "at"} | null,
    /// "gate": {module: {"url", "checked_at", "compatible": bool | null, "breaking": [...], "error"}}}`,
    /// with `ETag: "sha256:…"` when the routing came from a file.
    package struct FlagsReport: Codable {
        /// flags.json's own shape: `services` and `modules`.
        package let active: JSONValue
        let source: String
        let loadedAt: Date
        /// The version of the file in force (`sha256:…`, what `If-Match`
        /// names); null on the built-in defaults, read from no file.
        package let version: String?
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

        package func encode(to encoder: any Encoder) throws {
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
