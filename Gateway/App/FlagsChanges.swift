import Contract
import Facade
import Flags
import FlagsAudit
import FlagsControl
import Foundation
import HTTPClient
import Platform
import Routing

/// The one implementation of changing flags.json through the control plane:
/// `PUT /admin/flags` and `POST /admin/flags/preview` (and the CLI, which
/// calls them). Given a candidate document it validates it, computes what
/// would move against the file in force, runs the gate on every module whose
/// service gains tenants, writes the file only if it is still the version the
/// caller read, records the change in the audit trail, and reloads.
package final class FlagsChanges: Sendable {
    /// What the gate found wrong with a service that would gain tenants.
    package struct Finding: Codable, Sendable, Equatable {
        package let module: String
        package let url: String
        package let problem: String

        var json: JSONValue {
            .object(["module": .string(module), "url": .string(url), "problem": .string(problem)])
        }
    }

    /// A candidate checked but not written.
    struct Checked: Sendable {
        let bytes: [UInt8]
        let candidate: FlagsSnapshot
        let current: FlagsSnapshot
        /// The file's bytes and version now; nil when there is no file.
        let file: (bytes: [UInt8], version: FlagsVersion)?
        let preview: FlagsPreview
        let findings: [Finding]
    }

    private let flags: FlagsStore
    /// Where changes are recorded, and read back by `GET /admin/flags/history`.
    let audit: FlagsAuditLog
    private let knownModules: Set<String>
    /// Checks a service's contract against what this process calls of its module.
    private let contracts: ServiceGate
    /// Whether a service answers `GET /ready` 200; nil when it does, else why not.
    private let unready: @Sendable (String) -> String?
    /// Every tenant there is, for the preview and the status (besides those the files name).
    private let tenants: @Sendable () throws -> [String]
    /// The running gateways' heartbeats: which have applied which version.
    private let instances: GatewayInstances
    /// This gateway's circuit breakers, for the status.
    private let breakers: CircuitBreakers

    init(
        flags: FlagsStore, audit: FlagsAuditLog, instances: GatewayInstances, knownModules: Set<String>,
        contracts: ServiceGate, unready: @escaping @Sendable (String) -> String? = FlagsChanges.readiness,
        tenants: @escaping @Sendable () throws -> [String] = { [] }, breakers: CircuitBreakers = CircuitBreakers()
    ) {
        self.breakers = breakers
        self.flags = flags
        self.audit = audit
        self.instances = instances
        self.knownModules = knownModules
        self.contracts = contracts
        self.unready = unready
        self.tenants = tenants
    }

    /// `GET /admin/flags/applied`: which running gateways route by the version in force here.
    func applied() throws -> FlagsApplied {
        try FlagsApplied(snapshot: flags.current, instances: instances)
    }

    /// `GET /admin/flags/status`: the routing in force and who applied it.
    func status() throws -> FlagsStatus {
        try FlagsStatus(
            flags: flags, gate: contracts, instances: instances, modules: knownModules, tenants: try tenants(),
            unready: unready, breakers: breakers)
    }

    /// `GET <url>/ready`, briefly: nil when it answers 200.
    static func readiness(_ url: String) -> String? {
        do {
            let response = try HTTPClient.shared.send(method: "GET", url: url + "/ready", totalTimeout: 2)
            return response.status == 200 ? nil : "GET /ready answered \(response.status)"
        } catch {
            return "GET /ready failed: \(error)"
        }
    }

    /// Validates `document` and computes what it would change and what the gate finds. Writes nothing.
    func check(_ document: JSONValue) throws -> Checked {
        let encoded: [UInt8]
        do {
            encoded = try WireJSON.encode(document)
        } catch {
            throw Self.invalid(field: "document", message: "is not JSON")
        }
        let parsed: FlagsDocument
        do {
            parsed = try FlagsDocument(parsing: encoded, knownModules: knownModules)
        } catch {
            throw Self.invalid(field: "document." + error.field, message: error.message)
        }
        let file: (bytes: [UInt8], version: FlagsVersion)?
        do {
            file = try FlagsFileWriter.read(path: flags.path)
        } catch .missing {
            file = nil
        } catch {
            throw Problem(status: 503, code: "flags_unreadable", detail: "flags.json cannot be read: \(error)")
        }
        // Written in the shipped layout and in the current file's order, so
        // the file's diff is the change, whatever the client's formatting.
        let inFile = file.flatMap { try? FlagsDocument(parsing: $0.bytes, knownModules: knownModules) }
        let bytes = (inFile.map { parsed.ordered(like: $0) } ?? parsed).bytes
        let candidate = parsed.snapshot
        let current = inFile?.snapshot ?? flags.current
        let preview = FlagsPreview(from: current, to: candidate, tenants: try tenants())
        return Checked(
            bytes: bytes, candidate: candidate, current: current, file: file, preview: preview,
            findings: gate(preview, candidate: candidate, current: current))
    }

    /// Writes `document` if the file is still `expected`, records the change and reloads.
    func apply(
        _ document: JSONValue, expected: FlagsVersion, actor: String, source: FlagChangeRecord.Source = .api,
        reason: String, forceReason: String?
    ) throws -> Applied {
        let checked = try check(document)
        guard let file = checked.file else { throw Self.missing }
        guard file.version == expected else { throw Self.stale(expected: expected, current: file.version) }
        let newVersion = FlagsVersion(of: checked.bytes)
        var verdict = GateVerdict(result: .passed, findings: checked.findings.map(\.json))
        if !checked.findings.isEmpty {
            guard let forceReason, !forceReason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                verdict.result = .refused
                let id = try? audit.record(
                    record(
                        checked, actor: actor, source: source, reason: reason, from: file.version, to: newVersion,
                        gate: verdict))
                throw Problem(
                    status: 409, code: "flip_refused",
                    detail: "The gate refused the change: "
                        + checked.findings.map { "\($0.module) at \($0.url): \($0.problem)" }.joined(separator: "; ")
                        + ". Fix the service, or send force_reason to override.",
                    extensions: [
                        "findings": .array(checked.findings.map(\.json)),
                        "audit_id": id.map { .int($0) } ?? .null,
                    ])
            }
            verdict.result = .forced
            verdict.forceReason = forceReason
        }
        do {
            try FlagsFileWriter.replace(path: flags.path, with: checked.bytes, expectedVersion: expected)
        } catch .versionMismatch(_, _, let current) {
            throw Self.stale(expected: expected, current: current)
        } catch .missing {
            throw Self.missing
        } catch {
            throw Problem(status: 503, code: "flags_unwritable", detail: "flags.json was not written: \(error)")
        }
        let id = try audit.record(
            record(
                checked, actor: actor, source: source, reason: reason, from: file.version, to: newVersion, gate: verdict))
        flags.reloadNow()
        return Applied(version: newVersion.description, changes: ChangeList(checked.preview), gate: Gate(verdict), auditID: id)
    }

    private func record(
        _ checked: Checked, actor: String, source: FlagChangeRecord.Source, reason: String, from: FlagsVersion,
        to: FlagsVersion, gate: GateVerdict
    ) -> FlagChangeRecord {
        FlagChangeRecord(
            actor: actor, source: source, reason: reason, fromVersion: from.description, toVersion: to.description,
            before: checked.current.json, after: checked.candidate.json,
            changes: Self.entries(checked.preview), gate: gate)
    }

    /// The preview as audit entries: module-level settings, then every tenant moved.
    static func entries(_ preview: FlagsPreview) -> [FlagChange] {
        preview.moduleChanges.map { change in
            let setting: FlagChange.Setting =
                switch change.field {
                case .service: .service
                case .default: .default
                case .rollout: .rollout
                case .fallback: .fallback
                case .breaker: .breaker
                }
            return FlagChange(
                module: change.module, setting: setting, from: change.from.map { .string($0) },
                to: change.to.map { .string($0) })
        }
            + preview.tenantChanges.map {
                FlagChange(
                    module: $0.module, tenant: $0.tenant, from: .string($0.from.rawValue), to: .string($0.to.rawValue))
            }
    }

    /// The modules whose service gains tenants, each asked whether it is
    /// ready and still serves what this process calls of it.
    private func gate(_ preview: FlagsPreview, candidate: FlagsSnapshot, current: FlagsSnapshot) -> [Finding] {
        var modules = Set(preview.tenantChanges.filter { $0.to.reachesService }.map(\.module))
        // A new URL for a module that routes anyone there: its tenants gain a service.
        for change in preview.moduleChanges
        where change.field == .service && change.to != nil && candidate.modules[change.module]?.usesService == true {
            modules.insert(change.module)
        }
        var findings: [Finding] = []
        for module in modules.sorted() {
            guard let url = candidate.serviceURL(module: module) else { continue }
            if let problem = unready(url) {
                findings.append(Finding(module: module, url: url, problem: problem))
                continue
            }
            do {
                let breaking = try contracts.breaking(module: module, url: url) ?? []
                findings += breaking.map { Finding(module: module, url: url, problem: $0) }
            } catch {
                findings.append(Finding(module: module, url: url, problem: "GET /contract failed: \(error)"))
            }
        }
        return findings
    }

    // MARK: - Problems

    static let invalidFlags = Problem.unprocessable("invalid_flags", "The document is not a valid flags.json.")
    static let missing = Problem.conflict(
        "flags_file_missing", "There is no flags.json to replace; the control plane edits an existing file.")
    static let staleExample = Problem(
        status: 412, code: "version_mismatch", detail: "flags.json changed since it was read.")
    static let preconditionRequired = Problem(
        status: 428, code: "precondition_required",
        detail: "Send If-Match with the version from GET /admin/flags (its ETag).")
    static let actorRequired = Problem.badRequest(
        "actor_required", "Send x-banyan-actor naming who makes the change.")
    static let reasonRequired = Problem.unprocessable("reason_required", "Say why in reason.")
    static let refusedExample = Problem.conflict("flip_refused", "The gate refused the change.")
    static let unreadable = Problem(status: 503, code: "flags_unreadable", detail: "flags.json cannot be read.")
    static let unwritable = Problem(status: 503, code: "flags_unwritable", detail: "flags.json was not written.")

    static func invalid(field: String, message: String) -> Problem {
        Problem(
            status: 422, code: "invalid_flags", detail: "\(field) \(message)",
            extensions: ["field": .string(field)])
    }

    static func stale(expected: FlagsVersion, current: FlagsVersion) -> Problem {
        Problem(
            status: 412, code: "version_mismatch",
            detail: "flags.json is \(current), not \(expected): read it again, preview, retry.",
            extensions: ["current_version": .string(current.description)])
    }
}

extension FlagsChanges {
    /// `PUT /admin/flags`'s answer.
    package struct Applied: Codable, Sendable {
        package let version: String
        package let changes: ChangeList
        package let gate: Gate
        package let auditID: Int64

        private enum CodingKeys: String, CodingKey {
            case version, changes, gate
            case auditID = "audit_id"
        }
    }

    /// `POST /admin/flags/preview`'s answer: what would move, and what the gate would refuse.
    package struct Previewed: Codable, Sendable {
        package let changes: ChangeList
        package let refused: [Finding]
    }

    /// A `FlagsPreview` on the wire.
    package struct ChangeList: Codable, Sendable {
        package struct ModuleChange: Codable, Sendable {
            package let module: String
            /// `service`, `default` or `rollout`.
            package let field: String
            package let from: String?
            package let to: String?
        }

        package struct TenantChange: Codable, Sendable {
            package let module: String
            package let tenant: String
            package let from: String
            package let to: String
            /// `explicit`, `rollout` or `default`.
            package let why: String
        }

        package let moduleChanges: [ModuleChange]
        package let tenantChanges: [TenantChange]

        private enum CodingKeys: String, CodingKey {
            case moduleChanges = "module_changes"
            case tenantChanges = "tenant_changes"
        }

        /// Back to a `FlagsPreview`, to print as the CLI does; an entry
        /// this build cannot read (a newer gateway's) is left out.
        package var preview: FlagsPreview {
            FlagsPreview(
                moduleChanges: moduleChanges.compactMap { change in
                    FlagsPreview.ModuleChange.Field(rawValue: change.field).map {
                        FlagsPreview.ModuleChange(module: change.module, field: $0, from: change.from, to: change.to)
                    }
                },
                tenantChanges: tenantChanges.compactMap { change in
                    guard let from = ModuleRoute(rawValue: change.from), let to = ModuleRoute(rawValue: change.to),
                        let why = FlagsPreview.Reason(rawValue: change.why)
                    else { return nil }
                    return FlagsPreview.TenantChange(
                        module: change.module, tenant: change.tenant, from: from, to: to, why: why)
                })
        }

        init(_ preview: FlagsPreview) {
            moduleChanges = preview.moduleChanges.map {
                ModuleChange(module: $0.module, field: $0.field.rawValue, from: $0.from, to: $0.to)
            }
            tenantChanges = preview.tenantChanges.map {
                TenantChange(
                    module: $0.module, tenant: $0.tenant, from: $0.from.rawValue, to: $0.to.rawValue, why: $0.why.rawValue)
            }
        }
    }

    /// A `GateVerdict` on the wire.
    package struct Gate: Codable, Sendable {
        /// `passed`, `refused`, `forced` or `unchecked` (a hand edit).
        package let result: String
        package let findings: [JSONValue]
        package let forceReason: String?

        private enum CodingKeys: String, CodingKey {
            case result, findings
            case forceReason = "force_reason"
        }

        init(_ verdict: GateVerdict) {
            result = verdict.result.rawValue
            findings = verdict.findings
            forceReason = verdict.forceReason
        }
    }
}
