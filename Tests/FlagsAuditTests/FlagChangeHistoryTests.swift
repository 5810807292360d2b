import FlagsAudit
import Foundation
import Platform
import Postgres
import Testing

/// Changes go in with every field and come back the same, newest first,
/// found by the module and tenant inside their `changes`.
@Suite struct FlagChangeHistoryTests {
    @Test func aRecordedChangeComesBackWithEveryField() throws {
        let audit = try AuditDatabase("audit_roundtrip")
        defer { audit.shutdown() }
        let change = FlagChangeRecord(
            actor: "bob", source: .api, reason: "contract check failed but the service is needed now",
            fromVersion: version(7), toVersion: version(8),
            before: .object([
                "services": .object(["payments": .string("http://127.0.0.1:9101")]),
                "modules": .object(["payments": .object(["default": .string("in-process")])]),
            ]),
            after: .object([
                "services": .object(["payments": .string("http://127.0.0.1:9102")]),
                "modules": .object([
                    "payments": .object([
                        "default": .string("in-process"), "rollout": .object(["service": .int(25)]),
                    ])
                ]),
            ]),
            changes: [
                FlagChange(
                    module: "payments", setting: .service, from: .string("http://127.0.0.1:9101"),
                    to: .string("http://127.0.0.1:9102")),
                FlagChange(module: "payments", setting: .rollout, from: nil, to: .object(["service": .int(25)])),
                FlagChange(module: "payments", tenant: "demo-diner", from: .string("in-process"), to: .string("service")),
            ],
            gate: GateVerdict(
                result: .forced,
                findings: [.object(["kind": .string("breaking"), "message": .string("missing operation refund")])],
                forceReason: "refund is not used by these tenants"))
        let before = Date()
        let id = try audit.log.record(change)

        let history = try audit.log.history()
        #expect(history.count == 1)
        let stored = try #require(history.first)
        #expect(stored.id == id)
        let at = try #require(stored.at)
        // The database's clock, not ours: allow for the two disagreeing a little.
        #expect(abs(at.timeIntervalSince(before)) < 60)
        #expect(stored.actor == change.actor)
        #expect(stored.source == .api)
        #expect(stored.reason == change.reason)
        #expect(stored.fromVersion == version(7))
        #expect(stored.toVersion == version(8))
        #expect(stored.before == change.before)
        #expect(stored.after == change.after)
        #expect(stored.changes == change.changes)
        #expect(stored.gate == change.gate)
        #expect(stored.forced)
        // The column agrees with the verdict, for queries that do not read the JSON.
        let forcedColumn = try audit.pool.withConnection {
            try $0.query("SELECT forced FROM ops.flag_changes WHERE id = \(id)").first!.bool("forced")
        }
        #expect(forcedColumn)
    }

    @Test func aHandEditNeedsNoReasonAndMayLackFiles() throws {
        let audit = try AuditDatabase("audit_file")
        defer { audit.shutdown() }
        let created = FlagChangeRecord(
            actor: FlagChangeRecord.fileActor, source: .file, reason: nil, fromVersion: nil, toVersion: version(1),
            before: nil, after: .object(["modules": .object([:])]), changes: [],
            gate: GateVerdict(result: .unchecked))
        try audit.log.record(created)
        let stored = try #require(try audit.log.history().first)
        #expect(stored.reason == nil)
        #expect(stored.fromVersion == nil)
        #expect(stored.before == nil)
        #expect(stored.gate == GateVerdict(result: .unchecked))
        #expect(stored.actor == "file")
    }

    @Test func historyIsNewestFirstAndLimited() throws {
        let audit = try AuditDatabase("audit_order")
        defer { audit.shutdown() }
        var ids: [Int64] = []
        for step in 1...4 { ids.append(try audit.log.record(movedToService(from: step, to: step + 1))) }

        let all = try audit.log.history()
        #expect(all.map(\.id) == ids.reversed().map(Optional.some))
        let times = all.compactMap(\.at)
        #expect(times == times.sorted(by: >))
        #expect(try audit.log.history(limit: 2).map(\.id) == [ids[3], ids[2]])
        #expect(try audit.log.history(limit: 0).isEmpty)
    }

    @Test func historyFiltersByModuleAndTenantInsideTheChanges() throws {
        let audit = try AuditDatabase("audit_filter")
        defer { audit.shutdown() }
        let cafePayments = try audit.log.record(movedToService(module: "payments", tenant: "demo-cafe"))
        let dinerPayments = try audit.log.record(movedToService(module: "payments", tenant: "demo-diner"))
        let cafeInventory = try audit.log.record(movedToService(module: "inventory", tenant: "demo-cafe"))
        var rollout = movedToService(module: "orders", tenant: "unused")
        rollout.changes = [FlagChange(module: "orders", setting: .rollout, from: nil, to: .object(["service": .int(5)]))]
        let ordersRollout = try audit.log.record(rollout)
        // One change naming two tenants in two modules.
        var both = movedToService()
        both.changes = [
            FlagChange(module: "payments", tenant: "demo-bistro", from: nil, to: .string("service")),
            FlagChange(module: "inventory", tenant: "demo-diner", from: .string("service"), to: nil),
        ]
        let mixed = try audit.log.record(both)

        func ids(module: String? = nil, tenant: String? = nil) throws -> [Int64?] {
            try audit.log.history(module: module, tenant: tenant).map(\.id)
        }
        #expect(try ids(module: "payments") == [mixed, dinerPayments, cafePayments])
        #expect(try ids(module: "orders") == [ordersRollout])
        #expect(try ids(tenant: "demo-cafe") == [cafeInventory, cafePayments])
        #expect(try ids(tenant: "demo-diner") == [mixed, dinerPayments])
        // Both in one entry: the mixed change names payments and demo-diner, but not together.
        #expect(try ids(module: "payments", tenant: "demo-diner") == [dinerPayments])
        #expect(try ids(module: "inventory", tenant: "demo-diner") == [mixed])
        #expect(try ids(module: "chatbot").isEmpty)
        #expect(try ids(tenant: "nobody").isEmpty)
    }
}
