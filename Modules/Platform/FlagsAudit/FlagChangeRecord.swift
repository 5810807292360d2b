import Flags
import Foundation
import Platform

/// One change to flags.json as the audit log keeps it: who made it, when,
/// why, from which file version to which, the documents before and after,
/// what moved per module and tenant, and what the gate said.
///
/// `id` and `at` are given by the database when the change is recorded (one
/// clock for every gateway and CLI) and are nil on a record not yet stored.
///
///     let change = FlagChangeRecord(
///         actor: "alice", source: .cli, reason: "move demo-cafe to the payments service",
///         fromVersion: old.sha256, toVersion: new.sha256, before: oldJSON, after: newJSON,
///         changes: [FlagChange(module: "payments", tenant: "demo-cafe", from: .string("in-process"), to: .string("service"))],
///         gate: GateVerdict(result: .passed))
///     let id = try auditLog.record(change)
public struct FlagChangeRecord: Codable, Sendable, Equatable {
    /// Where a change came from.
    public enum Source: String, Codable, Sendable, CaseIterable {
        /// `banyan flags …`; the actor is `--by`, else the OS user.
        case cli
        /// The admin API; the actor is the required `x-banyan-actor` header.
        case api
        /// Somebody edited the file by hand and a reload saw it; the actor is `file`.
        case file
    }

    /// The actor recorded for a hand edit of the file.
    public static let fileActor = "file"

    public internal(set) var id: Int64?
    public internal(set) var at: Date?
    public var actor: String
    public var source: Source
    /// Required (not blank) unless `source` is `.file`.
    public var reason: String?
    /// SHA-256 of the file's bytes before, lowercase hex; nil when there was no file.
    public var fromVersion: String?
    /// SHA-256 of the file's bytes after (or proposed, when refused), lowercase hex; nil when the file is gone.
    public var toVersion: String?
    /// The whole document before; nil when there was none (or it did not parse).
    public var before: JSONValue?
    public var after: JSONValue?
    public var changes: [FlagChange]
    public var gate: GateVerdict

    /// Whether an operator overrode the gate; stored as its own column for queries.
    public var forced: Bool { gate.result == .forced }

    public init(
        actor: String, source: Source, reason: String?, fromVersion: String?, toVersion: String?,
        before: JSONValue?, after: JSONValue?, changes: [FlagChange], gate: GateVerdict
    ) {
        self.actor = actor
        self.source = source
        self.reason = reason
        self.fromVersion = fromVersion
        self.toVersion = toVersion
        self.before = before
        self.after = after
        self.changes = changes
        self.gate = gate
    }

    /// Throws the first thing the database's CHECKs would refuse, naming its field.
    public func validate() throws(FlagsAuditError) {
        guard !actor.isBlank else { throw FlagsAuditError(field: "actor", message: "is required") }
        if source != .file, (reason ?? "").isBlank {
            throw FlagsAuditError(field: "reason", message: "is required for a change made through the \(source.rawValue)")
        }
        for (field, version) in [("fromVersion", fromVersion), ("toVersion", toVersion)] {
            if let version, !FlagsVersion.isExact(version) {
                throw FlagsAuditError(field: field, message: "is not a flags.json version (sha256: and 64 lower-case hex digits): \(version)")
            }
        }
        for (index, change) in changes.enumerated() { try change.validate(at: index) }
        if gate.result == .forced, (gate.forceReason ?? "").isBlank {
            throw FlagsAuditError(field: "gate.forceReason", message: "is required when the gate was forced")
        }
    }
}
