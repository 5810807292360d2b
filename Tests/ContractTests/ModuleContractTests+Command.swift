import BanyanTestSupport
import Contract
import Facade
import Foundation
import ModuleRegistry
import Security
import Testing

/// `banyan contract` against the suite's running services, as an extracted
/// service's CI pipeline runs it.
extension ModuleContractTests {
    /// Orders' and Chatbot's cases stock a menu in Restaurant and Inventory:
    /// the command reaches those where the service does, at the monolith the
    /// fixture serves them from, every tenant homed in-process.
    @Test(arguments: extractable)
    func banyanContractPassesAgainstTheServiceAndWritesJUnit(_ name: String) throws {
        let fixture = try ContractFixture.require(name)
        let (run, report) = try banyanContract(
            name, url: fixture.process.baseURL, secret: fixture.process.secret, routing: fixture.routing)

        let caseNames = fixture.service.contract.caseNames
        #expect(run.status == 0, run.output)
        #expect(run.stdout.contains("\(caseNames.count) passed, 0 failed"), run.output)
        #expect(run.stdout.contains("module \(name)"), run.output)
        #expect(run.stdout.contains(fixture.table.contract.fingerprint), run.output)
        for caseName in caseNames {
            #expect(run.stdout.contains("ok    \(caseName)"), "a line for \(caseName)")
        }

        let document = try #require(report, "the report is well-formed XML")
        #expect(document.suite["name"] == name)
        #expect(document.suite["tests"] == String(caseNames.count))
        #expect(document.suite["failures"] == "0")
        #expect(document.testCases.map(\.name) == caseNames)
        #expect(document.testCases.allSatisfy { $0.failure == nil })
        #expect(document.properties["fingerprint"] == fixture.table.contract.fingerprint)
        #expect(document.properties["url"] == fixture.process.baseURL)
    }

    @Test(arguments: extractable)
    func banyanContractFailsEveryCaseWhenTheServiceRefusesItsToken(_ name: String) throws {
        let fixture = try ContractFixture.require(name)
        // Refused at the monolith too, where Orders' and Chatbot's cases stock their menus first.
        let (run, report) = try banyanContract(
            name, url: fixture.process.baseURL, secret: Hex.encode(SecureRandom.bytes(32)), routing: fixture.routing)

        let count = fixture.service.contract.caseNames.count
        #expect(run.status == 1, run.output)
        #expect(run.stdout.contains("0 passed, \(count) failed"), run.output)
        #expect(run.stdout.contains("FAIL  "), run.output)
        let document = try #require(report)
        #expect(document.suite["failures"] == String(count))
        #expect(document.testCases.count == count)
        for testCase in document.testCases {
            let message = testCase.failure?["message"] ?? ""
            #expect(message.contains("invalid_token"), "\(testCase.name): \(message)")
        }
    }

    @Test(arguments: extractable)
    func banyanContractRefusesAServiceOfAnotherModule(_ name: String) throws {
        let others = Self.extractable.filter { $0 != name }
        let other = try #require(others.first, "another module that runs as a service")
        let fixture = try ContractFixture.require(name)
        let (run, _) = try banyanContract(
            other, url: fixture.process.baseURL, secret: fixture.process.secret, routing: fixture.routing)
        #expect(run.status == 1, run.output)
        #expect(run.stderr.contains("serves the \(name) module, not \(other)"), run.output)
        #expect(!run.stdout.contains("ok    "), "no case ran")
    }
}

@Suite struct ContractCommandTests {
    /// Any module with a contract suite: the command treats them all alike.
    static let module = ModuleRegistry.extractable.first?.name ?? "none"

    @Test func nothingListeningExitsNonZeroWithAClearMessageAndAFailedReport() throws {
        let deadPort = try RefusingPort()
        defer { deadPort.close() }
        let url = "http://127.0.0.1:\(deadPort.port)"
        let (run, report) = try banyanContract(Self.module, url: url, secret: Hex.encode(SecureRandom.bytes(32)))
        #expect(run.status == 1, run.output)
        #expect(run.stderr.contains("cannot reach \(url)/contract"), run.output)
        #expect(run.stdout.contains("0 passed, 1 failed"), run.output)
        let document = try #require(report)
        #expect(document.suite["failures"] == "1")
        #expect(document.testCases.first?.failure?["message"]?.contains("cannot reach") == true)
    }

    @Test(arguments: [
        ["contract"], ["contract", module], ["contract", "payroll", "--url", "http://127.0.0.1:1"],
        ["contract", module, "--url", "127.0.0.1:4004"], ["contract", module, "--url"],
        ["contract", module, "--url", "http://127.0.0.1:1", "--verbose"],
    ])
    func usageErrorsExitTwo(_ arguments: [String]) throws {
        let home = try ChildProcess.makePrivateDirectory("contract-cli")
        defer { try? FileManager.default.removeItem(atPath: home) }
        let run = try BanyanCommand.run(arguments, environment: [:], home: home)
        #expect(run.status == 2, run.output)
        #expect(run.stderr.contains("usage: banyan contract"), run.output)
    }

    /// What scripts/up starts: one line per module that runs as a service.
    @Test func banyanServicesListsEveryServiceOfTheRegistry() throws {
        let home = try ChildProcess.makePrivateDirectory("modules-cli")
        defer { try? FileManager.default.removeItem(atPath: home) }
        let run = try BanyanCommand.run(["services"], environment: [:], home: home)
        #expect(run.status == 0, run.output)
        let expected = ModuleRegistry.extractable.compactMap { module in
            module.service.map { "\(module.name) \($0.executable) \($0.defaultPort)" }
        }
        #expect(!expected.isEmpty)
        #expect(run.stdout.split(separator: "\n").map(String.init) == expected, run.output)
    }
}

/// `banyan contract module --url url --junit …` signing with `secret`, run in
/// a private home of its own, other modules reached by `routing`
/// (`BANYAN_FLAGS`, `BANYAN_MONOLITH_URL`): what it printed, and the JUnit
/// report it wrote (nil when there is none, or it is not well-formed XML).
func banyanContract(
    _ module: String, url: String, secret: String, routing: [String: String] = [:]
) throws -> (BanyanCommand, JUnitDocument?) {
    let home = try ChildProcess.makePrivateDirectory("contract-cli")
    defer { try? FileManager.default.removeItem(atPath: home) }
    let report = home + "/report.xml"
    let run = try BanyanCommand.run(
        ["contract", module, "--url", url, "--junit", report],
        environment: routing.merging(["BANYAN_SERVICE_SECRET": secret]) { $1 }, home: home)
    return (run, (try? String(contentsOfFile: report, encoding: .utf8)).flatMap(JUnitDocument.parse))
}
