import BanyanTestSupport
import Flags
import FlagsAudit
import Foundation
import Testing

/// Each gateway records in the audit trail which flags.json version it
/// routes by, under its own instance name, when it loads one: so an operator
/// can tell whether every gateway took an edit.
@Suite struct FlagsApplicationTests {
    @Test func everyGatewayRecordsTheVersionItLoaded() throws {
        let first = try TestGateway(instance: "gw-a")
        let second = try TestGateway(sameDatabaseAs: first, instance: "gw-b")
        let audit = FlagsAuditLog(database: first.database)
        // Started on the built-in defaults: no file, so nothing to record.
        #expect(try audit.latestApplied().isEmpty)

        // One deployment's file, written where each gateway reads it.
        try first.route("payments", of: ["cafe-a"], to: "http://127.0.0.1:1")
        let bytes = try Data(contentsOf: URL(fileURLWithPath: first.flagsPath))
        try bytes.write(to: URL(fileURLWithPath: second.flagsPath), options: .atomic)
        let version = FlagsVersion(of: Array(bytes)).description

        let both = try first.eventually(within: 10) {
            let latest = try audit.latestApplied()
            return latest["gw-a"]?.version == version && latest["gw-b"]?.version == version
        }
        let latest = try audit.latestApplied()
        #expect(both, "latest applied: \(latest)")
        #expect(Set(try audit.applied(version: version).keys) == ["gw-a", "gw-b"])

        // A later edit is recorded as a move, the earlier one kept.
        try first.route("payments", of: ["cafe-b"], to: "http://127.0.0.1:1")
        let next = FlagsVersion(of: Array(try Data(contentsOf: URL(fileURLWithPath: first.flagsPath)))).description
        #expect(try first.eventually(within: 10) { try audit.latestApplied()["gw-a"]?.version == next })
        #expect(try audit.latestApplied()["gw-b"]?.version == version)
        #expect(Set(try audit.applied(version: version).keys) == ["gw-a", "gw-b"])
    }
}
