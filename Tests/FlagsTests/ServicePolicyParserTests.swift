import Platform
import Testing

@testable import Flags

/// The `shadow` home and a module's `fallback` and `breaker` in flags.json:
/// what the parser accepts, what it refuses with the field named, and what
/// it logs when they change.
@Suite("FlagsParser: shadow, fallback and breaker")
struct ServicePolicyParserTests {
    private func parse(_ text: String) throws(FlagsError) -> FlagsSnapshot {
        try FlagsParser.parse(Array(text.utf8), source: "/test/flags.json")
    }

    private func payments(_ entry: String, url: Bool = true) -> String {
        #"{"services": {\#(url ? #""payments": "http://127.0.0.1:4004""# : "")}, "modules": {"payments": \#(entry)}}"#
    }

    @Test func shadowIsAHomeByDefaultPerTenantAndByRollout() throws {
        let routing = try #require(
            try parse(payments(#"{"default": "in-process", "tenants": {"cafe-a": "shadow"}, "rollout": {"shadow": 20}}"#))
                .modules["payments"])
        #expect(routing.tenants == ["cafe-a": .shadow])
        #expect(routing.rollout == .init(route: .shadow, percent: 20))
        #expect(routing.usesService)
        #expect(try parse(payments(#"{"default": "shadow"}"#)).route(module: "payments", tenant: "cafe-b") == .shadow)
        #expect(ModuleRoute.shadow.serving == .inProcess)
        #expect(ModuleRoute.service.serving == .service)
    }

    @Test func aShadowHomeNeedsTheServiceURL() {
        #expect(
            throws: FlagsError(
                field: "services.payments", message: #"is required: modules.payments routes to "shadow" for tenant cafe-a"#)
        ) {
            try parse(payments(#"{"default": "in-process", "tenants": {"cafe-a": "shadow"}}"#, url: false))
        }
    }

    @Test func fallbackAndBreakerAreRead() throws {
        let routing = try #require(
            try parse(
                payments(
                    #"{"default": "service", "fallback": "in-process", "breaker": {"failures": 3, "open_seconds": 5, "auto_rollback_after_seconds": 60}}"#
                )
            ).modules["payments"])
        #expect(routing.policy.fallback == .inProcess)
        #expect(routing.policy.breaker == BreakerSettings(failures: 3, openSeconds: 5, autoRollbackAfterSeconds: 60))
        let effective = routing.policy.breaker.effective
        #expect(effective.failures == 3)
        #expect(effective.errorRate == 50, "unwritten keys take their defaults")
        #expect(effective.autoRollbackAfterSeconds == 60)
        // Absent: no fallback, the default breaker, never rolling back.
        let plain = try #require(try parse(payments(#"{"default": "service"}"#)).modules["payments"])
        #expect(plain.policy == .standard)
        #expect(plain.policy.breaker.effective.autoRollbackAfterSeconds == nil)
    }

    static let refusals: [(entry: String, field: String, message: String)] = [
        (#"{"default": "service", "fallback": "service"}"#, "modules.payments.fallback", #"must be "in-process""#),
        (#"{"default": "service", "fallback": true}"#, "modules.payments.fallback", #"must be "in-process""#),
        (#"{"default": "service", "breaker": {"failure": 3}}"#, "modules.payments.breaker.failure", "is not a known key"),
        (#"{"default": "service", "breaker": {"failures": 0}}"#, "modules.payments.breaker.failures", "from 1 to 1000"),
        (#"{"default": "service", "breaker": {"error_rate": 101}}"#, "modules.payments.breaker.error_rate", "from 1 to 100"),
        (#"{"default": "service", "breaker": {"open_seconds": 2.5}}"#, "modules.payments.breaker.open_seconds", "an integer"),
        (#"{"default": "service", "breaker": 5}"#, "modules.payments.breaker", "must be an object"),
        (#"{"default": "shadow", "rollout": {"shadow": 5}}"#, "modules.payments.rollout.shadow", "must not be the default"),
    ]

    @Test(arguments: refusals)
    func eachMistakeIsRefusedWithItsField(_ refusal: (entry: String, field: String, message: String)) {
        do {
            _ = try parse(payments(refusal.entry))
            Issue.record("accepted \(refusal.entry)")
        } catch {
            #expect(error.field == refusal.field)
            #expect(error.message.contains(refusal.message), "\(error.message)")
        }
    }

    @Test func aReloadLogsFallbackAndBreakerChanges() throws {
        let before = try parse(payments(#"{"default": "service"}"#))
        let after = try parse(payments(#"{"default": "service", "fallback": "in-process", "breaker": {"failures": 3}}"#))
        #expect(
            after.changes(from: before) == [
                "payments fallback: none → in-process", "payments breaker: default → failures 3",
            ])
    }
}
