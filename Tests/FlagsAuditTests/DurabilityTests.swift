import FlagsAudit
import Foundation
import Postgres
import Testing

/// The trail is in the database, not in a process: a restart (closing and
/// opening the database again, migrations re-run) finds every row.
@Suite struct DurabilityTests {
    @Test func rowsSurviveClosingAndReopeningTheDatabase() throws {
        let audit = try AuditDatabase("audit_reopen")
        let id = try audit.log.record(movedToService())
        let at = Date(timeIntervalSince1970: 1_796_000_000)
        try audit.log.recordApplied(instance: "gw-1", version: version(2), at: at)
        let changes = try audit.log.history()
        audit.shutdown()

        let reopened = try AuditDatabase.open(audit.url)
        defer { reopened.shutdown() }
        let log = FlagsAuditLog(database: reopened)
        #expect(try log.history() == changes)
        #expect(try log.history().first?.id == id)
        #expect(try log.latestApplied() == ["gw-1": AppliedVersion(version: version(2), at: at)])
        // And the ids go on from there.
        #expect(try log.record(movedToService(from: 2, to: 3)) > id)
    }
}
