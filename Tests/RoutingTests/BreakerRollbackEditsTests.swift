import Flags
import FlagsControl
import Testing

@testable import Gateway

/// What the automatic rollback writes: every tenant the service serves is
/// homed in-process afterwards, whether it got there by a pin, the default or
/// a rollout; every other home and the module's policy stay as they were.
@Suite struct BreakerRollbackEditsTests {
    static let tenants = (0..<300).map { "t-\($0)" }

    private func rolledBack(_ entry: FlagsDocument.Module) throws -> FlagsDocument {
        let document = FlagsDocument(services: [("payments", "http://127.0.0.1:4004")], modules: [entry])
        return try BreakerRollback.edits(entry).reduce(document) { try $0.applying($1) }
    }

    private func served(_ document: FlagsDocument) -> [String] {
        let snapshot = document.snapshot
        return (Self.tenants + ["cafe", "bistro", "diner"]).filter { snapshot.route(module: "payments", tenant: $0) == .service }
    }

    @Test func aServiceDefaultWithAnInProcessRolloutAndPins() throws {
        let policy = ServicePolicy(fallback: .inProcess, breaker: BreakerSettings(autoRollbackAfterSeconds: 60))
        let entry = FlagsDocument.Module(
            name: "payments", defaultRoute: .service,
            tenants: [("cafe", .service), ("bistro", .inProcess), ("diner", .shadow)],
            rollout: ModuleRouting.Rollout(route: .inProcess, percent: 10), policy: policy)
        #expect(!served(FlagsDocument(services: [("payments", "u")], modules: [entry])).isEmpty)
        let after = try rolledBack(entry)
        #expect(served(after).isEmpty, "still served by the service: \(served(after).prefix(5))")
        let module = try #require(after.module("payments"))
        #expect(module.defaultRoute == .inProcess && module.rollout == nil)
        #expect(module.tenants.map { "\($0.tenant) \($0.route.rawValue)" } == ["cafe in-process", "bistro in-process", "diner shadow"])
        #expect(module.policy == policy)
        #expect(after.serviceURL("payments") == "http://127.0.0.1:4004", "the service URL is kept")
    }

    @Test func anInProcessDefaultWithAServiceRolloutAndAPin() throws {
        let entry = FlagsDocument.Module(
            name: "payments", defaultRoute: .inProcess, tenants: [("cafe", .service)],
            rollout: ModuleRouting.Rollout(route: .service, percent: 30))
        let after = try rolledBack(entry)
        #expect(served(after).isEmpty)
        let module = try #require(after.module("payments"))
        #expect(module.rollout == nil && module.defaultRoute == .inProcess)
        #expect(module.tenants.map { "\($0.tenant) \($0.route.rawValue)" } == ["cafe in-process"])
    }

    @Test func nothingToMoveWritesNothing() {
        let entry = FlagsDocument.Module(
            name: "payments", defaultRoute: .inProcess, tenants: [("diner", .shadow)],
            rollout: ModuleRouting.Rollout(route: .shadow, percent: 5))
        #expect(BreakerRollback.edits(entry).isEmpty)
    }
}
