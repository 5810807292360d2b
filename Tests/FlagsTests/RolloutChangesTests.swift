import Testing

@testable import Flags

/// The "flags loaded" log line for rollouts: one line per changed rollout,
/// and tenant lines only for routes that really moved.
@Suite("FlagsSnapshot.changes: rollout")
struct RolloutChangesTests {
    private func flags(tenants: [String: String] = [:], rollout: String? = nil) throws -> FlagsSnapshot {
        try FlagsParser.parse(Array(paymentsFlags(tenants: tenants, rollout: rollout).utf8), source: "x")
    }

    @Test("starting, raising, turning round and ending a rollout are one line each")
    func rolloutLines() throws {
        let none = try flags()
        let ten = try flags(rollout: #"{"service": 10}"#)
        let twenty = try flags(rollout: #"{"service": 20}"#)
        #expect(ten.changes(from: none) == ["payments rollout: none → service 10%"])
        #expect(twenty.changes(from: ten) == ["payments rollout: service 10% → service 20%"])
        #expect(none.changes(from: twenty) == ["payments rollout: service 20% → none"])
        #expect(ten.changes(from: ten).isEmpty)

        let back = try FlagsParser.parse(
            Array(paymentsFlags(default: "service", rollout: #"{"in-process": 20}"#).utf8), source: "x")
        #expect(
            back.changes(from: ten) == [
                "payments default: in-process → service", "payments rollout: service 10% → in-process 20%",
            ])
        // A module that appears with a rollout, against the built-in defaults.
        #expect(ten.changes(from: .defaults) == ["services.payments: none → http://127.0.0.1:4004", "payments rollout: none → service 10%"])
    }

    @Test("a tenant entry dropped in favour of the rollout that covers it moves nothing")
    func tenantLinesAreEffective() throws {
        let inCohort = try #require(
            (0..<1000).map { "tenant-\($0)" }.first { ModuleRouting.cohortBucket(module: "payments", tenant: $0) < 10 })
        let outside = try #require(
            (0..<1000).map { "tenant-\($0)" }.first { ModuleRouting.cohortBucket(module: "payments", tenant: $0) >= 10 })
        let before = try flags(tenants: [inCohort: "service", outside: "service"])
        let after = try flags(rollout: #"{"service": 10}"#)
        // inCohort stays on the service (now by the rollout); only outside moves.
        #expect(
            after.changes(from: before) == [
                "payments rollout: none → service 10%", "payments[\(outside)]: service → in-process",
            ])
    }
}
