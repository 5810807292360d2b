import FlagsAudit
import Foundation
import Testing

/// Which gateway applied which flags.json version, so "is every instance on
/// v42?" has an answer.
@Suite struct FlagApplicationTests {
    private let t0 = Date(timeIntervalSince1970: 1_796_000_000)

    @Test func recordingTheSameApplicationAgainAddsNothing() throws {
        let audit = try AuditDatabase("audit_applied_once")
        defer { audit.shutdown() }
        #expect(try audit.log.recordApplied(instance: "gw-1", version: version(1), at: t0))
        #expect(try !audit.log.recordApplied(instance: "gw-1", version: version(1), at: t0))
        // A restart on the same file reports it again, later: still the same stint.
        #expect(try !audit.log.recordApplied(instance: "gw-1", version: version(1), at: t0 + 60))

        #expect(try audit.log.applied(version: version(1)) == ["gw-1": t0])
        #expect(try audit.log.latestApplied() == ["gw-1": AppliedVersion(version: version(1), at: t0)])
        let rows = try audit.pool.withConnection { try $0.query("SELECT 1 FROM ops.flag_applications").count }
        #expect(rows == 1)
    }

    @Test func latestIsPerInstanceAcrossInstances() throws {
        let audit = try AuditDatabase("audit_applied_latest")
        defer { audit.shutdown() }
        try audit.log.recordApplied(instance: "gw-1", version: version(1), at: t0)
        try audit.log.recordApplied(instance: "gw-2", version: version(1), at: t0 + 1)
        try audit.log.recordApplied(instance: "gw-1", version: version(2), at: t0 + 10)

        #expect(
            try audit.log.latestApplied() == [
                "gw-1": AppliedVersion(version: version(2), at: t0 + 10),
                "gw-2": AppliedVersion(version: version(1), at: t0 + 1),
            ])
        // gw-2 has not applied version 2 yet; both applied version 1 once.
        #expect(try audit.log.applied(version: version(2)) == ["gw-1": t0 + 10])
        #expect(try audit.log.applied(version: version(1)) == ["gw-1": t0, "gw-2": t0 + 1])
        #expect(try audit.log.applied(version: version(3)).isEmpty)

        try audit.log.recordApplied(instance: "gw-2", version: version(2), at: t0 + 11)
        #expect(try audit.log.latestApplied().values.allSatisfy { $0.version == version(2) })
    }

    /// A revert to a file byte for byte like an earlier one is the same
    /// version: the instance's move back must still show as its latest.
    @Test func goingBackToAnEarlierVersionIsAMoveOfItsOwn() throws {
        let audit = try AuditDatabase("audit_applied_back")
        defer { audit.shutdown() }
        try audit.log.recordApplied(instance: "gw-1", version: version(1), at: t0)
        try audit.log.recordApplied(instance: "gw-1", version: version(2), at: t0 + 10)
        #expect(try audit.log.recordApplied(instance: "gw-1", version: version(1), at: t0 + 20))

        #expect(try audit.log.latestApplied() == ["gw-1": AppliedVersion(version: version(1), at: t0 + 20)])
        #expect(try audit.log.applied(version: version(1)) == ["gw-1": t0 + 20])
    }

    @Test func aBlankInstanceOrAMalformedVersionIsRefused() throws {
        let audit = try AuditDatabase("audit_applied_bad")
        defer { audit.shutdown() }
        #expect(throws: FlagsAuditError(field: "instance", message: "is required")) {
            try audit.log.recordApplied(instance: " ", version: version(1), at: t0)
        }
        #expect(throws: FlagsAuditError.self) {
            try audit.log.recordApplied(instance: "gw-1", version: "v42", at: t0)
        }
        #expect(throws: FlagsAuditError.self) {
            try audit.log.recordApplied(instance: "gw-1", version: version(1).uppercased(), at: t0)
        }
        #expect(try audit.log.latestApplied().isEmpty)
    }
}
