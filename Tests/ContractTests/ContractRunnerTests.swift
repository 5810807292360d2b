import Contract
import Facade
import Foundation
import Platform
import Testing

/// The runner, the assertions and the JUnit report on their own, with
/// providers that cannot talk to anything.
@Suite struct ContractRunnerTests {
    struct Sample: Error, Equatable, ProblemConvertible {
        var code: String
        var problem: Problem { Problem(status: 409, code: code, detail: "") }
    }

    @Test func aPassingCaseHasNoFailure() {
        let result = ContractRunner.run(ContractCase<Int>("adds") { value, _ in try Expect.equal(value + 1, 3, "sum") }, against: 2)
        #expect(result.passed)
        #expect(result.name == "adds")
        #expect(result.seconds >= 0)
    }

    @Test func aBrokenRuleSaysWhatWasExpectedAndWhatCame() {
        let result = ContractRunner.run(ContractCase<Int>("adds") { value, _ in try Expect.equal(value + 1, 3, "sum") }, against: 5)
        #expect(result.failure == "sum: expected 3, got 6")
    }

    @Test func anUnexpectedErrorFailsTheCaseByItsCode() {
        let result = ContractRunner.run(ContractCase<Int>("throws") { _, _ in throw Sample(code: "boom") }, against: 0)
        #expect(result.failure == "unexpected error: Sample boom (409)")
    }

    @Test func unavailableNamesTheReason() {
        let result = ContractRunner.run(
            ContractCase<Int>("down") { _, _ in throw ModuleUnavailable(module: "widgets", reason: "connection refused") },
            against: 0)
        #expect(result.failure?.contains("connection refused") == true)
    }

    @Test func expectErrorReturnsTheMatchingErrorAndRefusesEverythingElse() throws {
        let thrown = try Expect.error(Sample(code: "a"), "call") { () throws -> Int in throw Sample(code: "a") }
        #expect(thrown == Sample(code: "a"))
        #expect(throws: ContractFailure("call: expected Sample a (409), got success: 7")) {
            try Expect.error(Sample(code: "a"), "call") { 7 }
        }
        #expect(throws: ContractFailure("call: expected Sample a (409), got Sample b (409)")) {
            try Expect.error(Sample(code: "a"), "call") { () throws -> Int in throw Sample(code: "b") }
        }
        // A broken rule inside the call is passed on, not taken for the wrong error.
        #expect(throws: ContractFailure("inner")) {
            try Expect.error(Sample(code: "a"), "call") { () throws -> Int in throw ContractFailure("inner") }
        }
    }

    @Test func expectOptionals() throws {
        #expect(try Expect.some(Optional(4), "value") == 4)
        #expect(throws: ContractFailure("value: expected a value, got nil")) { try Expect.some(Int?.none, "value") }
        #expect(throws: ContractFailure("value: expected nil, got 4")) { try Expect.none(Optional(4), "value") }
        #expect(throws: ContractFailure("flag: expected true, got false")) { try Expect.that(false, "flag") }
    }

    @Test func everyEnvironmentHasTenantsOfItsOwn() {
        let first = ContractEnvironment.fresh()
        let second = ContractEnvironment.fresh()
        #expect(first.tenant != first.otherTenant)
        #expect(first.tenant != second.tenant)
        #expect(first.cashier.role == .cashier && first.manager.role == .manager && first.admin.role == .admin)
        #expect(first.context(nil).role == nil && first.context(nil).userID == nil)
        #expect(first.otherTenantContext(.cashier).tenant == first.otherTenant)
        #expect(first.key("x") != second.key("x"))
    }

    @Test func aSuiteRunsItsCasesByNameThroughTheClientItWasGiven() throws {
        struct NoProvider: Transport {
            func call<Request, Response>(
                _ operation: Facade.Operation<Request, Response>, _ context: CallContext, _ request: Request
            ) throws -> Response { throw ContractFailure("no provider") }
        }
        let suite = ContractSuite(
            cases: [
                ContractCase<Int>("one is one") { value, _ in try Expect.equal(value, 1, "value") },
                ContractCase<Int>("one is two") { value, _ in try Expect.equal(value, 2, "value") },
            ],
            client: { _ in 1 })
        #expect(suite.caseNames == ["one is one", "one is two"])
        #expect(try #require(suite.run("one is one", against: NoProvider())).passed)
        #expect(suite.run("one is two", against: NoProvider())?.failure == "value: expected 2, got 1")
        #expect(suite.run("no such case", against: NoProvider()) == nil)
        #expect(suite.run(against: NoProvider()).map(\.passed) == [true, false])
    }

    @Test func junitReportCountsAndEscapesEverything() throws {
        let awkward = "a<b>&\"c\" 'd'"
        let message = "line one\nline\ttwo\r & <three>\u{1}\u{FFFF}"
        let report = ContractJUnitReport(
            suite: "widgets",
            results: [
                ContractResult(name: "passes", failure: nil, seconds: 0.25),
                ContractResult(name: awkward, failure: message, seconds: 1.5),
            ],
            properties: [(name: "url", value: "http://x/?a=1&b=\"2\"")], timestamp: Date(timeIntervalSince1970: 0))
        #expect(report.failures == 1)
        let xml = report.xml
        #expect(xml.hasPrefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"))
        #expect(xml.contains("timestamp=\"1970-01-01T00:00:00\""))
        let document = try #require(JUnitDocument.parse(xml), "well-formed:\n\(xml)")
        #expect(document.suite["name"] == "widgets")
        #expect(document.suite["tests"] == "2")
        #expect(document.suite["failures"] == "1")
        #expect(document.suite["time"] == "1.750")
        #expect(document.testCases.map(\.name) == ["passes", awkward])
        #expect(document.testCases[0].failure == nil)
        #expect(document.testCases[0].attributes["time"] == "0.250")
        // Line breaks and tabs survive in the attribute; characters XML cannot carry become U+FFFD.
        let expected = "line one\nline\ttwo\r & <three>\u{FFFD}\u{FFFD}"
        #expect(document.testCases[1].failure?["message"] == expected)
        #expect(document.testCases[1].failure?["type"] == "ContractFailure")
        #expect(document.testCases[1].failureText == expected)
        #expect(document.properties["url"] == "http://x/?a=1&b=\"2\"")
    }

    @Test func anEmptyReportIsStillAReport() throws {
        let document = try #require(JUnitDocument.parse(ContractJUnitReport(suite: "widgets", results: []).xml))
        #expect(document.suite["tests"] == "0")
        #expect(document.testCases.isEmpty)
    }
}
