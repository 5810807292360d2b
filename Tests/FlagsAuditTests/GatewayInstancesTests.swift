import FlagsAudit
import Foundation
import Testing

/// The heartbeat that says which gateways are running, and on which version:
/// what `banyan flags --wait` and `all_applied` count.
@Suite struct GatewayInstancesTests {
    @Test func aBeatIsOverwrittenAStaleOneIsNotRunningAndARemovedOneIsGone() throws {
        let audit = try AuditDatabase("audit_instances")
        defer { audit.shutdown() }
        let instances = GatewayInstances(database: audit.database)
        let started = Date(timeIntervalSince1970: 1_796_000_000)
        try instances.beat(instance: "gw-1", version: version(1), startedAt: started)
        try instances.beat(instance: "gw-2", version: nil, startedAt: started)
        try instances.beat(instance: "gw-1", version: version(2), startedAt: started)
        let running = try instances.running()
        #expect(running.map(\.instance) == ["gw-1", "gw-2"])
        #expect(running.first?.version == version(2), "overwritten, not a second row")
        #expect(running.first?.startedAt == started)
        #expect(running.last?.version == nil)

        // gw-2 last beat a minute ago: not running any more, by the same clock that stamps beats.
        try audit.pool.withConnection { connection in
            _ = try connection.execute(
                "UPDATE ops.gateway_instances SET seen_at = now() - interval '60 seconds' WHERE instance = 'gw-2'")
        }
        #expect(try instances.running().map(\.instance) == ["gw-1"])
        #expect(try instances.running(liveWithin: 120).map(\.instance) == ["gw-1", "gw-2"])

        try instances.remove(instance: "gw-1")
        #expect(try instances.running(liveWithin: 120).map(\.instance) == ["gw-2"])
    }

    @Test func aBlankInstanceOrAMalformedVersionIsRefusedByTheDatabase() throws {
        let audit = try AuditDatabase("audit_instances_checks")
        defer { audit.shutdown() }
        let instances = GatewayInstances(database: audit.database)
        #expect(throws: (any Error).self) { try instances.beat(instance: "  ", version: nil, startedAt: Date()) }
        #expect(throws: (any Error).self) { try instances.beat(instance: "gw-1", version: "v42", startedAt: Date()) }
        #expect(try instances.running().isEmpty)
    }
}
