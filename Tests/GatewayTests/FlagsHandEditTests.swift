import BanyanTestSupport
import Flags
import FlagsAudit
import Foundation
import Platform
import Testing

/// A flags.json edited by hand (no control plane call recorded it) is
/// recorded by the reload that sees it, as actor `file` with the diff it
/// saw, exactly once however many gateways load it; a file the control plane
/// wrote is not recorded twice.
@Suite struct FlagsHandEditTests {
    static func document(cafe: String) -> [UInt8] {
        Array(
            """
            {"services": {"payments": "http://127.0.0.1:1"},
             "modules": {"payments": {"default": "in-process", "tenants": {"cafe": "\(cafe)"}}}}

            """.utf8)
    }

    /// Writes `bytes` over `path` by rename, as an editor that saves atomically does.
    static func write(_ bytes: [UInt8], to path: String) throws {
        let temporary = path + ".tmp-\(UUID().uuidString.prefix(8))"
        try Data(bytes).write(to: URL(fileURLWithPath: temporary))
        guard rename(temporary, path) == 0 else { throw TestFailure("rename: errno \(errno)") }
    }

    @Test func aHandEditSeenByTwoGatewaysIsRecordedOnce() throws {
        let first = try TestGateway(instance: "gw-a")
        let second = try TestGateway(sameDatabaseAs: first, instance: "gw-b")
        let audit = FlagsAuditLog(database: first.database)

        let v1 = Self.document(cafe: "in-process")
        let v2 = Self.document(cafe: "service")
        let version1 = FlagsVersion(of: v1).description
        let version2 = FlagsVersion(of: v2).description
        for (bytes, version) in [(v1, version1), (v2, version2)] {
            for gateway in [first, second] { try Self.write(bytes, to: gateway.flagsPath) }
            // A gateway records what it applied only after settling whether the load was a hand edit.
            let applied = try first.eventually(within: 15) {
                let latest = try audit.latestApplied()
                return latest["gw-a"]?.version == version && latest["gw-b"]?.version == version
            }
            #expect(applied, "\(version) not applied by both")
        }

        let rows = try audit.history(limit: 100)
        #expect(rows.filter { $0.toVersion == version1 }.count == 1)
        let edits = rows.filter { $0.toVersion == version2 }
        #expect(edits.count == 1, "\(edits)")
        let edit = try #require(edits.first)
        #expect(edit.actor == "file")
        #expect(edit.source == .file)
        #expect(edit.reason == nil)
        #expect(edit.fromVersion == version1)
        #expect(edit.gate.result == .unchecked)
        #expect(
            edit.changes == [
                FlagChange(module: "payments", tenant: "cafe", from: .string("in-process"), to: .string("service"))
            ])
        #expect(edit.before != nil)
        #expect(edit.after != nil)
    }

    @Test func aFileTheControlPlaneWroteIsNotRecordedAgain() throws {
        let app = try TestGateway()
        let audit = FlagsAuditLog(database: app.database)
        let v1 = Self.document(cafe: "in-process")
        try Self.write(v1, to: app.flagsPath)
        let version1 = FlagsVersion(of: v1)
        #expect(try app.eventually(within: 15) { try audit.latestApplied()[app.gateway.instance]?.version == version1.description })

        let reply = try app.call(
            "PUT", "/admin/flags", token: app.opsToken,
            json: [
                "document": ["services": [:], "modules": ["payments": ["default": "in-process", "tenants": [:]]]],
                "reason": "drop cafe's pin",
            ],
            headers: [("if-match", version1.etag), ("x-banyan-actor", "alice")])
        #expect(reply.status == 200, "\(reply.json)")
        let version2 = try #require(reply.json["version"] as? String)
        #expect(try app.eventually(within: 15) { try audit.latestApplied()[app.gateway.instance]?.version == version2 })
        let rows = try audit.history(limit: 100).filter { $0.toVersion == version2 }
        #expect(rows.map(\.source) == [.api])
    }
}
