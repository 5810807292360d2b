import FlagsAudit
import Foundation
import Postgres
import Testing

/// What a change must carry: above all a reason, when it comes through the
/// CLI or the API (a hand edit has nobody to ask). The Swift API refuses
/// first, naming the field; the database's CHECKs refuse the same.
@Suite struct ChangeValidationTests {
    @Test(arguments: [FlagChangeRecord.Source.cli, .api], [nil, "", "  \n"] as [String?])
    func theAPIRefusesAChangeWithoutAReason(_ source: FlagChangeRecord.Source, _ reason: String?) throws {
        let audit = try AuditDatabase("audit_reason_api")
        defer { audit.shutdown() }
        var change = movedToService()
        change.source = source
        change.reason = reason
        #expect(
            throws: FlagsAuditError(
                field: "reason", message: "is required for a change made through the \(source.rawValue)")
        ) { try audit.log.record(change) }
        #expect(try audit.log.history().isEmpty)
    }

    @Test(arguments: ["cli", "api"], [nil, "", "  "] as [String?])
    func theDatabaseRefusesAChangeWithoutAReason(_ source: String, _ reason: String?) throws {
        let audit = try AuditDatabase("audit_reason_db")
        defer { audit.shutdown() }
        let refused = try audit.pool.withConnection { connection in
            postgresError {
                try connection.execute(
                    """
                    INSERT INTO ops.flag_changes (actor, source, reason, to_version, changes, gate, forced)
                    VALUES ('alice', \(source), \(reason), 'sha256:' || repeat('a', 64), '[]', '{"result": "passed"}', false)
                    """)
            }
        }
        #expect(refused?.sqlState == "23514")
        #expect(refused?.constraint == "flag_changes_reason_required")
        #expect(try audit.log.history().isEmpty)
    }

    @Test func theDatabaseTakesAHandEditWithoutAReason() throws {
        let audit = try AuditDatabase("audit_reason_file")
        defer { audit.shutdown() }
        try audit.pool.withConnection { connection in
            try connection.execute(
                """
                INSERT INTO ops.flag_changes (actor, source, reason, to_version, changes, gate, forced)
                VALUES ('file', 'file', NULL, 'sha256:' || repeat('a', 64), '[]', '{"result": "unchecked"}', false)
                """)
        }
        #expect(try audit.log.history().map(\.source) == [.file])
    }

    /// The other refusals `validate()` shares with the database's CHECKs, each naming its field.
    @Test func otherMalformedChangesAreRefusedByField() throws {
        let audit = try AuditDatabase("audit_malformed")
        defer { audit.shutdown() }
        var blankActor = movedToService()
        blankActor.actor = " "
        var badVersion = movedToService()
        badVersion.toVersion = "42"
        var tenantOnDefault = movedToService()
        tenantOnDefault.changes = [
            FlagChange(module: "payments", tenant: "demo-cafe", from: nil, to: .string("service")),
            FlagChange(module: "payments", setting: .default, from: .string("in-process"), to: .string("service")),
        ]
        tenantOnDefault.changes[1].tenant = "demo-cafe"
        var forcedWithoutWhy = movedToService()
        forcedWithoutWhy.gate = GateVerdict(result: .forced, findings: [.string("breaking")])

        let fields = [blankActor, badVersion, tenantOnDefault, forcedWithoutWhy].map { change -> String? in
            do {
                try audit.log.record(change)
                return nil
            } catch let error as FlagsAuditError {
                return error.field
            } catch {
                return "\(error)"
            }
        }
        #expect(fields == ["actor", "toVersion", "changes[1].tenant", "gate.forceReason"])
        #expect(try audit.log.history().isEmpty)
    }

    @Test func theDatabaseRefusesAForcedChangeWithoutAForceReason() throws {
        let audit = try AuditDatabase("audit_force_db")
        defer { audit.shutdown() }
        let refused = try audit.pool.withConnection { connection in
            postgresError {
                try connection.execute(
                    """
                    INSERT INTO ops.flag_changes (actor, source, reason, to_version, changes, gate, forced)
                    VALUES ('alice', 'cli', 'now', 'sha256:' || repeat('a', 64), '[]', '{"result": "forced"}', true)
                    """)
            }
        }
        #expect(refused?.constraint == "flag_changes_forced_says_why")
    }
}
