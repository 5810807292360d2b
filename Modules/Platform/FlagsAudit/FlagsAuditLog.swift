import Flags
import Foundation
import Platform
import Postgres

/// The audit trail of flags.json in the `ops` schema: every change (who,
/// when, why, before and after, the gate's verdict) and every version each
/// gateway instance applied. Append-only: nothing here updates or deletes,
/// and the database refuses it anyway (see `FlagsAudit`).
///
///     let audit = FlagsAuditLog(database: database)   // opened with FlagsAudit.schema
///     let id = try audit.record(change)
///     try audit.recordApplied(instance: "gw-1", version: sha256)
///     let onIt = try audit.applied(version: sha256)   // has every instance applied it?
public struct FlagsAuditLog: Sendable {
    /// The most rows `history` returns at once.
    public static let maximumHistoryLimit = 1000

    private let pool: PostgresPool

    /// - Parameter pool: logged in as the `ops` role, with `ops` on its search path.
    public init(pool: PostgresPool) {
        self.pool = pool
    }

    /// Over `database`'s `ops` pool; `database` must have been opened with `FlagsAudit.schema`.
    public init(database: Database) {
        self.init(pool: database.pool(for: FlagsAudit.schema.name))
    }

    private static let changeColumns: StaticString = """
        id, at, actor, source, reason, from_version, to_version,
        before_document::text AS before_document, after_document::text AS after_document,
        changes::text AS changes, gate::text AS gate
        """

    /// Stores `change` and returns its id. The database stamps the time.
    ///
    /// Throws `FlagsAuditError` for a change the database would refuse
    /// (`validate()`), `PostgresError` when it cannot be stored.
    @discardableResult
    public func record(_ change: FlagChangeRecord) throws -> Int64 {
        try change.validate()
        let changes = try Self.jsonText(change.changes)
        let gate = try Self.jsonText(change.gate)
        let before = change.before.map(Self.jsonDocument)
        let after = change.after.map(Self.jsonDocument)
        return try pool.transaction(tenant: nil) { connection in
            try connection.query(
                """
                INSERT INTO ops.flag_changes
                    (actor, source, reason, from_version, to_version, before_document, after_document,
                     changes, gate, forced)
                VALUES (\(change.actor), \(change.source.rawValue), \(change.reason), \(change.fromVersion),
                        \(change.toVersion), \(before)::jsonb, \(after)::jsonb, \(changes)::jsonb, \(gate)::jsonb,
                        \(change.forced))
                RETURNING id
                """
            ).first!.int64("id")
        }
    }

    /// Whether a change that wrote `toVersion` is recorded (a refused
    /// attempt wrote nothing, so it does not count): how a reload tells a
    /// file written by the control plane from one edited by hand.
    public func hasChange(toVersion: String) throws -> Bool {
        try pool.withConnection { connection in
            try connection.query(
                """
                SELECT 1 FROM ops.flag_changes
                WHERE to_version = \(toVersion)::text AND gate->>'result' <> 'refused'
                LIMIT 1
                """
            ).first != nil
        }
    }

    /// Records `change` unless a change that wrote its `toVersion` is
    /// recorded already, atomically across every gateway (an advisory lock
    /// per version): so several gateways that saw the same hand edit record
    /// it once. Returns the new id, or nil when it was recorded already.
    @discardableResult
    public func recordUnlessRecorded(_ change: FlagChangeRecord) throws -> Int64? {
        try change.validate()
        guard let toVersion = change.toVersion else {
            throw FlagsAuditError(field: "toVersion", message: "is required to record a change once")
        }
        let changes = try Self.jsonText(change.changes)
        let gate = try Self.jsonText(change.gate)
        let before = change.before.map(Self.jsonDocument)
        let after = change.after.map(Self.jsonDocument)
        let lock = "banyan.ops.change." + toVersion
        return try pool.transaction(tenant: nil) { connection in
            try connection.query("SELECT pg_advisory_xact_lock(hashtextextended(\(lock), 0))")
            return try connection.query(
                """
                INSERT INTO ops.flag_changes
                    (actor, source, reason, from_version, to_version, before_document, after_document,
                     changes, gate, forced)
                SELECT \(change.actor), \(change.source.rawValue), \(change.reason), \(change.fromVersion),
                       \(toVersion)::text, \(before)::jsonb, \(after)::jsonb, \(changes)::jsonb, \(gate)::jsonb,
                       \(change.forced)
                WHERE NOT EXISTS (
                    SELECT 1 FROM ops.flag_changes
                    WHERE to_version = \(toVersion)::text AND gate->>'result' <> 'refused')
                RETURNING id
                """
            ).first?.int64("id")
        }
    }

    /// Recorded changes, newest first, at most `limit` (capped at
    /// `maximumHistoryLimit`; below 1 gives none).
    ///
    /// - Parameters:
    ///   - module: only changes with an entry for this module.
    ///   - tenant: only changes with an entry naming this tenant (a
    ///     module-level entry names none: see `FlagChange.Setting`). With
    ///     `module` too, one entry must name both.
    ///   - version: only changes from or to a version starting with this
    ///     (`sha256:…`, whole or a prefix): where `banyan flags revert`
    ///     finds a version's document.
    public func history(module: String? = nil, tenant: String? = nil, version: String? = nil, limit: Int = 50) throws
        -> [FlagChangeRecord]
    {
        let limit = min(limit, Self.maximumHistoryLimit)
        guard limit > 0 else { return [] }
        var entry: [String: JSONValue] = [:]
        if let module { entry["module"] = .string(module) }
        if let tenant { entry["tenant"] = .string(tenant) }
        // Containment of a one-entry array: the GIN index answers it. Every
        // array contains `[]`: with no module or tenant, every row passes.
        let touching = Self.jsonDocument(JSONValue.array(entry.isEmpty ? [] : [.object(entry)]))
        // starts_with, not LIKE: a version holds no wildcards, but the caller's text might.
        let rows = try pool.withConnection { connection in
            try connection.query(
                """
                SELECT \(sql: Self.changeColumns) FROM ops.flag_changes
                WHERE changes @> \(touching)::jsonb
                  AND (\(version)::text IS NULL
                       OR starts_with(to_version, \(version)::text) OR starts_with(from_version, \(version)::text))
                ORDER BY at DESC, id DESC
                LIMIT \(limit)
                """)
        }
        return try rows.map(Self.change(from:))
    }

    /// Records that `instance` applied `version` at `at`. Idempotent: when
    /// the instance's latest recorded version already is `version` (a restart
    /// on the same file, a retry) nothing is added, so the rows are the
    /// instance's moves from version to version, and going back to an
    /// earlier version is a move of its own. Returns whether a row was added.
    ///
    /// Throws `FlagsAuditError` for a blank instance or a version that is not
    /// a flags.json version (`FlagsVersion`), `PostgresError` when it cannot be stored.
    @discardableResult
    public func recordApplied(instance: String, version: String, at: Date = Date()) throws -> Bool {
        guard !instance.isBlank else { throw FlagsAuditError(field: "instance", message: "is required") }
        guard FlagsVersion.isExact(version) else {
            throw FlagsAuditError(field: "version", message: "is not a flags.json version (sha256: and 64 lower-case hex digits): \(version)")
        }
        let lock = "banyan.ops.applied." + instance
        return try pool.transaction(tenant: nil) { connection in
            // One instance's records in turn, so two at once cannot both see a different latest.
            try connection.query("SELECT pg_advisory_xact_lock(hashtextextended(\(lock), 0))")
            return try connection.execute(
                """
                INSERT INTO ops.flag_applications (instance, version, applied_at)
                SELECT \(instance)::text, \(version)::text, \(at)
                WHERE NOT EXISTS (
                    SELECT 1 FROM (
                        SELECT version FROM ops.flag_applications WHERE instance = \(instance)::text
                        ORDER BY applied_at DESC, id DESC LIMIT 1) AS latest
                    WHERE latest.version = \(version)::text)
                ON CONFLICT ON CONSTRAINT flag_applications_once DO NOTHING
                """) > 0
        }
    }

    /// The instances that ever applied `version`, each with the last time it
    /// did. An instance that has since moved on is still here; whether every
    /// instance is on `version` now is `latestApplied()`'s question.
    public func applied(version: String) throws -> [String: Date] {
        let rows = try pool.withConnection { connection in
            try connection.query(
                """
                SELECT instance, max(applied_at) AS at FROM ops.flag_applications
                WHERE version = \(version)::text
                GROUP BY instance
                """)
        }
        var instances: [String: Date] = [:]
        for row in rows { instances[try row.string("instance")] = try row.date("at") }
        return instances
    }

    /// Each instance's latest applied version (by `applied_at`) and when.
    public func latestApplied() throws -> [String: AppliedVersion] {
        let rows = try pool.withConnection { connection in
            try connection.query(
                """
                SELECT DISTINCT ON (instance) instance, version, applied_at FROM ops.flag_applications
                ORDER BY instance, applied_at DESC, id DESC
                """)
        }
        var instances: [String: AppliedVersion] = [:]
        for row in rows {
            instances[try row.string("instance")] = AppliedVersion(
                version: try row.string("version"), at: try row.date("applied_at"))
        }
        return instances
    }

    /// Throws unless both tables are still append-only for this login: no
    /// UPDATE, DELETE or TRUNCATE privilege, and the refusing triggers
    /// present and enabled. An owner can undo both walls with DDL (see
    /// `FlagsAudit`); this is how a process notices before trusting the trail.
    public func verifyAppendOnly() throws {
        let rows = try pool.withConnection { connection in
            try connection.query(
                """
                SELECT t.name,
                       has_table_privilege(c.oid, 'UPDATE') OR has_table_privilege(c.oid, 'DELETE')
                           OR has_table_privilege(c.oid, 'TRUNCATE') AS rewritable,
                       EXISTS (SELECT 1 FROM pg_trigger g
                               WHERE g.tgrelid = c.oid AND g.tgname = t.name || '_append_only'
                                 AND g.tgenabled IN ('O', 'A')) AS guarded
                FROM unnest(ARRAY['flag_changes', 'flag_applications']) AS t(name)
                LEFT JOIN pg_class c
                    ON c.relname = t.name AND c.relnamespace = 'ops'::regnamespace
                """)
        }
        for row in rows {
            let table = "ops." + (try row.string("name"))
            guard let rewritable = try row.optionalBool("rewritable") else {
                throw FlagsAuditError(field: table, message: "is missing")
            }
            if rewritable {
                throw FlagsAuditError(
                    field: table, message: "is not append-only: this role may UPDATE, DELETE or TRUNCATE it")
            }
            if !(try row.bool("guarded")) {
                throw FlagsAuditError(field: table, message: "is not append-only: its refusing trigger is gone or disabled")
            }
        }
    }

    private static func change(from row: PostgresRow) throws -> FlagChangeRecord {
        guard let source = FlagChangeRecord.Source(rawValue: try row.string("source")) else {
            throw PostgresError(kind: .decoding, message: "ops.flag_changes.source is \(try row.string("source"))")
        }
        var change = FlagChangeRecord(
            actor: try row.string("actor"), source: source, reason: try row.optionalString("reason"),
            fromVersion: try row.optionalString("from_version"), toVersion: try row.optionalString("to_version"),
            before: try row.optionalString("before_document").map { try decode(JSONValue.self, $0) },
            after: try row.optionalString("after_document").map { try decode(JSONValue.self, $0) },
            changes: try decode([FlagChange].self, try row.string("changes")),
            gate: try decode(GateVerdict.self, try row.string("gate")))
        change.id = try row.int64("id")
        change.at = try row.date("at")
        return change
    }

    private static func jsonDocument(_ value: JSONValue) -> String {
        var text = ""
        value.write(to: &text)
        return text
    }

    private static func jsonText<Value: Encodable>(_ value: Value) throws -> String {
        String(decoding: try WireJSON.encode(value), as: UTF8.self)
    }

    private static func decode<Value: Decodable>(_ type: Value.Type, _ text: String) throws -> Value {
        try WireJSON.decode(type, from: Array(text.utf8))
    }
}
