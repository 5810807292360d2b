import FlagsAudit
import Foundation
import Postgres
import Testing

/// The audit trail cannot be rewritten, by the `ops` role that owns it nor
/// by the admin login: the database refuses, whatever the Swift code does.
@Suite struct AppendOnlyTests {
    static let rewrites = [
        "UPDATE ops.flag_changes SET actor = 'mallory'",
        "DELETE FROM ops.flag_changes",
        "TRUNCATE ops.flag_changes",
        "UPDATE ops.flag_applications SET version = 'sha256:' || repeat('0', 64)",
        "DELETE FROM ops.flag_applications",
        "TRUNCATE ops.flag_applications",
    ]

    private func seeded(_ prefix: String) throws -> AuditDatabase {
        let audit = try AuditDatabase(prefix)
        try audit.log.record(movedToService())
        try audit.log.recordApplied(instance: "gw-1", version: version(2), at: Date(timeIntervalSince1970: 1_796_000_000))
        return audit
    }

    private func table(of statement: String) -> String {
        statement.contains("flag_changes") ? "flag_changes" : "flag_applications"
    }

    @Test(arguments: rewrites) func theOwningRoleIsRefused(_ statement: String) throws {
        let audit = try seeded("audit_owner")
        defer { audit.shutdown() }
        let changes = try audit.log.history()
        let applied = try audit.log.latestApplied()

        let refused = try audit.pool.withConnection { connection in
            #expect(try connection.query("SELECT current_user AS me").first?.string("me") == "banyan_ops")
            let owner = try connection.query(
                "SELECT tableowner FROM pg_tables WHERE schemaname = 'ops' AND tablename = \(table(of: statement))")
            #expect(try owner.first?.string("tableowner") == "banyan_ops", "refused to its very owner")
            return postgresError { try connection.execute(PostgresQuery(stringLiteral: statement)) }
        }
        #expect(refused?.sqlState == "42501")
        #expect(refused?.message.contains("permission denied for table \(table(of: statement))") == true)
        #expect(try audit.log.history() == changes)
        #expect(try audit.log.latestApplied() == applied)
        try audit.log.verifyAppendOnly()
    }

    /// A superuser has every privilege; the trigger still refuses.
    @Test(arguments: rewrites) func theAdminIsRefusedByTheTrigger(_ statement: String) throws {
        let audit = try seeded("audit_admin")
        defer { audit.shutdown() }
        let changes = try audit.log.history()
        let applied = try audit.log.latestApplied()

        let admin = try audit.admin()
        defer { admin.close() }
        let refused = postgresError { try admin.execute(PostgresQuery(stringLiteral: statement)) }
        let verb = statement.split(separator: " ").first.map(String.init) ?? ""
        #expect(refused?.sqlState == "42501")
        #expect(refused?.message.contains("ops.\(table(of: statement)) is append-only: \(verb) refused") == true)
        #expect(try audit.log.history() == changes)
        #expect(try audit.log.latestApplied() == applied)
    }

    /// The owner can undo a wall with DDL; the other still stands, and the log notices.
    @Test func undoingAWallIsNoticedAndTheOtherStillRefuses() throws {
        let audit = try seeded("audit_tamper")
        defer { audit.shutdown() }
        let changes = try audit.log.history()
        try audit.pool.withConnection { try $0.execute("GRANT UPDATE ON ops.flag_changes TO CURRENT_USER") }

        #expect(throws: FlagsAuditError.self) { try audit.log.verifyAppendOnly() }
        let refused = try audit.pool.withConnection { connection in
            postgresError { try connection.execute("UPDATE ops.flag_changes SET actor = 'mallory'") }
        }
        #expect(refused?.message.contains("ops.flag_changes is append-only: UPDATE refused") == true)
        #expect(try audit.log.history() == changes)

        try audit.pool.withConnection { try $0.execute("REVOKE UPDATE ON ops.flag_changes FROM CURRENT_USER") }
        try audit.log.verifyAppendOnly()
        let admin = try audit.admin()
        defer { admin.close() }
        try admin.execute("ALTER TABLE ops.flag_applications DISABLE TRIGGER flag_applications_append_only")
        #expect(throws: FlagsAuditError.self) { try audit.log.verifyAppendOnly() }
    }
}
