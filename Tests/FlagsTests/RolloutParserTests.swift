import Platform
import Testing

@testable import Flags

/// `"rollout": {"service": 10}` in flags.json: what the parser accepts, and
/// that each way of getting it wrong is refused with the field named.
@Suite("FlagsParser: rollout")
struct RolloutParserTests {
    private func parse(_ text: String) throws(FlagsError) -> FlagsSnapshot {
        try FlagsParser.parse(Array(text.utf8), source: "/test/flags.json")
    }

    @Test("a rollout away from either default, at 0, 10 and 100, with or without tenants, before or after default")
    func acceptsRollouts() throws {
        #expect(
            try parse(paymentsFlags(rollout: #"{"service": 10}"#)).modules["payments"]
                == ModuleRouting(defaultRoute: .inProcess, rollout: .init(route: .service, percent: 10)))
        #expect(
            try parse(paymentsFlags(default: "service", tenants: ["demo-cafe": "in-process"], rollout: #"{"in-process": 0}"#))
                .modules["payments"]
                == ModuleRouting(
                    defaultRoute: .service, tenants: ["demo-cafe": .inProcess], rollout: .init(route: .inProcess, percent: 0)))
        #expect(
            try parse(paymentsFlags(rollout: #"{"service": 100}"#)).modules["payments"]?.rollout
                == .init(route: .service, percent: 100))
        // The default may come after the rollout: the two are compared once the entry is read.
        #expect(
            try parse(#"{"modules": {"inventory": {"rollout": {"in-process": 5}, "default": "service"}}, "services": {"inventory": "http://a:1"}}"#)
                .modules["inventory"]?.rollout == .init(route: .inProcess, percent: 5))
        // Absent: no cohort.
        #expect(try parse(paymentsFlags()).modules["payments"]?.rollout == nil)
    }

    static let refusals: [FlagsParserTests.InvalidCase] = [
        .init(name: "rollout is a number", text: paymentsFlags(rollout: "10"), field: "modules.payments.rollout",
            messageContains: "must be an object, not a number"),
        .init(name: "rollout is empty", text: paymentsFlags(rollout: "{}"), field: "modules.payments.rollout",
            messageContains: "exactly one key"),
        .init(name: "rollout names both homes", text: paymentsFlags(rollout: #"{"service": 10, "in-process": 5}"#),
            field: "modules.payments.rollout", messageContains: "exactly one key"),
        .init(name: "rollout home misspelt", text: paymentsFlags(rollout: #"{"servce": 10}"#),
            field: "modules.payments.rollout.servce", messageContains: "allowed: in-process, service"),
        .init(name: "rollout home repeated", text: paymentsFlags(rollout: #"{"service": 10, "service": 20}"#),
            field: "modules.payments.rollout.service", messageContains: "more than once"),
        .init(name: "percentage above 100", text: paymentsFlags(rollout: #"{"service": 101}"#),
            field: "modules.payments.rollout.service", messageContains: "must be an integer from 0 to 100"),
        .init(name: "negative percentage", text: paymentsFlags(rollout: #"{"service": -1}"#),
            field: "modules.payments.rollout.service", messageContains: "must be an integer from 0 to 100"),
        .init(name: "percentage with a fraction", text: paymentsFlags(rollout: #"{"service": 10.5}"#),
            field: "modules.payments.rollout.service", messageContains: "must be an integer from 0 to 100"),
        .init(name: "whole percentage written as a decimal", text: paymentsFlags(rollout: #"{"service": 10.0}"#),
            field: "modules.payments.rollout.service", messageContains: "must be an integer from 0 to 100"),
        .init(name: "percentage with an exponent", text: paymentsFlags(rollout: #"{"service": 1e1}"#),
            field: "modules.payments.rollout.service", messageContains: "must be an integer from 0 to 100"),
        .init(name: "percentage as a string", text: paymentsFlags(rollout: #"{"service": "10"}"#),
            field: "modules.payments.rollout.service", messageContains: "must be an integer from 0 to 100"),
        .init(name: "percentage as a percent string", text: paymentsFlags(rollout: #"{"service": "10%"}"#),
            field: "modules.payments.rollout.service", messageContains: "must be an integer from 0 to 100"),
        .init(name: "percentage is null", text: paymentsFlags(rollout: #"{"service": null}"#),
            field: "modules.payments.rollout.service", messageContains: "must be an integer from 0 to 100"),
        .init(name: "percentage is a boolean", text: paymentsFlags(rollout: #"{"service": true}"#),
            field: "modules.payments.rollout.service", messageContains: "must be an integer from 0 to 100"),
        .init(name: "percentage beyond Int", text: paymentsFlags(rollout: #"{"service": 99999999999999999999}"#),
            field: "modules.payments.rollout.service", messageContains: "must be an integer from 0 to 100"),
        .init(name: "rollout home is the in-process default", text: paymentsFlags(rollout: #"{"in-process": 10}"#),
            field: "modules.payments.rollout.in-process", messageContains: #"must not be the default ("in-process")"#),
        .init(name: "rollout home is the service default",
            text: paymentsFlags(default: "service", rollout: #"{"service": 10}"#),
            field: "modules.payments.rollout.service", messageContains: #"another home, "in-process" or "shadow""#),
        .init(name: "rollout home is the default written after it",
            text: #"{"modules": {"payments": {"rollout": {"in-process": 10}, "default": "in-process"}}}"#,
            field: "modules.payments.rollout.in-process", messageContains: "must not be the default"),
        .init(name: "rollout without a default",
            text: #"{"modules": {"payments": {"rollout": {"service": 10}}}}"#,
            field: "modules.payments.default", messageContains: "is required"),
        .init(name: "rollout to a service with no URL",
            text: #"{"modules": {"payments": {"default": "in-process", "rollout": {"service": 10}}}}"#,
            field: "services.payments", messageContains: "for a rollout of 10%"),
        // Raising 0 to 10 later must not be the edit that finds the URL missing.
        .init(name: "0% rollout to a service with no URL",
            text: #"{"modules": {"payments": {"default": "in-process", "rollout": {"service": 0}}}}"#,
            field: "services.payments", messageContains: "for a rollout of 0%"),
    ]

    @Test("each invalid rollout is refused with its field named", arguments: refusals)
    func refusesInvalid(_ invalid: FlagsParserTests.InvalidCase) {
        do {
            let snapshot = try parse(invalid.text)
            Issue.record("accepted: \(snapshot)")
        } catch {
            #expect(error.field == invalid.field, "\(error)")
            #expect(error.message.contains(invalid.messageContains), "\(error)")
            #expect(error.description == "\(error.field): \(error.message)")
        }
    }

    @Test("the error text an operator sees for an out-of-range percentage")
    func percentageErrorText() {
        #expect(
            throws: FlagsError(field: "modules.payments.rollout.service", message: "must be an integer from 0 to 100")
        ) {
            try parse(paymentsFlags(rollout: #"{"service": 150}"#))
        }
    }

    @Test("json shows the rollout in flags.json's shape, and reads back as the same routing")
    func jsonRoundTrip() throws {
        let snapshot = try parse(paymentsFlags(tenants: ["demo-cafe": "in-process"], rollout: #"{"service": 25}"#))
        #expect(
            snapshot.json
                == .object([
                    "services": .object(["payments": .string("http://127.0.0.1:4004")]),
                    "modules": .object([
                        "payments": .object([
                            "default": .string("in-process"), "tenants": .object(["demo-cafe": .string("in-process")]),
                            "rollout": .object(["service": .int(25)]),
                        ])
                    ]),
                ]))
        var text = ""
        snapshot.json.write(to: &text)
        #expect(try parse(text).modules == snapshot.modules)
        // Without a rollout, no `rollout` key: GET /admin/flags stays as it was.
        guard case .object(let root) = try parse(paymentsFlags()).json, case .object(let modules)? = root["modules"],
            case .object(let payments)? = modules["payments"]
        else {
            Issue.record("no modules.payments in json")
            return
        }
        #expect(payments["rollout"] == nil)
    }
}
