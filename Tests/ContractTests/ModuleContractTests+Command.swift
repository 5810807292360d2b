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

    /// A secret other than the service's: every case would be refused alike,
    /// so the command stops at the first and says once that the secrets differ.
    @Test(arguments: extractable)
    func banyanContractStopsAtTheRefusedTokenAndSaysTheSecretsDiffer(_ name: String) throws {
        let fixture = try ContractFixture.require(name)
        // Refused at the monolith too, where Orders' and Chatbot's cases stock their menus first.
        let (run, report) = try banyanContract(
            name, url: fixture.process.baseURL, secret: Hex.encode(SecureRandom.bytes(32)), routing: fixture.routing)

        let count = fixture.service.contract.caseNames.count
        #expect(run.status == 1, run.output)
        #expect(run.stdout.contains("0 passed, 1 failed"), run.output)
        #expect(run.stdout.components(separatedBy: "FAIL  ").count == 2, "one failed case listed: \(run.output)")
        #expect(run.stderr.contains("rejected this command's service token (401 invalid_token)"), run.output)
        #expect(
            run.stderr.contains("from BANYAN_SERVICE_SECRET, is probably not the one the service uses"), run.output)
        #expect(run.stderr.contains("the \(count - 1) cases not run would be refused the same way"), run.output)
        let document = try #require(report)
        #expect(document.suite["failures"] == "1")
        #expect(document.testCases.count == 1)
        let message = document.testCases.first?.failure?["message"] ?? ""
        #expect(message.contains("rejected this command's service token (401 invalid_token)"), "\(message)")
        #expect(message.contains("invalid_token"), "the service's own answer is kept: \(message)")
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
        ["contract", module, "--url", "http://127.0.0.1:1", "--secret-file"],
        ["contract", module, "--url", "http://127.0.0.1:1", "--secret-file="],
        ["contract", module, "--url=http://127.0.0.1:1", "--secrets=x"],
    ])
    func usageErrorsExitTwo(_ arguments: [String]) throws {
        let home = try ChildProcess.makePrivateDirectory("contract-cli")
        defer { try? FileManager.default.removeItem(atPath: home) }
        let run = try BanyanCommand.run(arguments, environment: [:], home: home)
        #expect(run.status == 2, run.output)
        #expect(run.stderr.contains("usage: banyan contract"), run.output)
    }

    /// It looks where a service would keep the secret and, finding none,
    /// names those places and creates nothing (the service would refuse a new one).
    @Test func noSecretAnywhereExitsOneNamingWhereItLookedAndCreatesNone() throws {
        let home = try ChildProcess.makePrivateDirectory("contract-cli")
        defer { try? FileManager.default.removeItem(atPath: home) }
        let run = try BanyanCommand.run(
            ["contract", Self.module, "--url", "http://127.0.0.1:1"], environment: [:], home: home)
        #expect(run.status == 1, run.output)
        #expect(run.stderr.contains("no service secret"), run.output)
        #expect(run.stderr.contains("BANYAN_SERVICE_SECRET is not set and there is no \(home)/service-secret"), run.output)
        #expect(run.stderr.contains("--secret-file"), run.output)
        #expect(!run.stdout.contains("passed"), "nothing ran: \(run.output)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: home).isEmpty, "no secret created in \(home)")
    }

    /// A service's BANYAN_HOME is where the command finds its secret: it says which file it signs with.
    @Test func theSecretInBANYAN_HOMEIsFoundAndNamed() throws {
        let home = try ChildProcess.makePrivateDirectory("contract-cli")
        defer { try? FileManager.default.removeItem(atPath: home) }
        try plantSecret(Hex.encode(SecureRandom.bytes(32)), at: home + "/service-secret")
        let deadPort = try RefusingPort()
        defer { deadPort.close() }
        let run = try BanyanCommand.run(
            ["contract", Self.module, "--url", "http://127.0.0.1:\(deadPort.port)"], environment: [:], home: home)
        #expect(run.status == 1, run.output)
        #expect(run.stdout.contains("signing calls with the service secret from \(home)/service-secret"), run.output)
        #expect(run.stderr.contains("cannot reach"), run.output)
    }

    /// Without BANYAN_HOME, run from a directory of no checkout: it looks in
    /// the checkout it was built in (where ./scripts/up runs the services),
    /// then here, and writes nothing here.
    @Test func withoutBANYAN_HOMEItLooksInItsCheckoutNotOnlyHere() throws {
        let elsewhere = try ChildProcess.makePrivateDirectory("contract-cli")
        defer { try? FileManager.default.removeItem(atPath: elsewhere) }
        // The checkout above the build's .build/ (none when SWIFT_SCRATCH_PATH builds elsewhere).
        let products = ChildProcess.productsDirectory.resolvingSymlinksInPath().path
        let checkout = products.range(of: "/.build/", options: .backwards).map { String(products[..<$0.lowerBound]) }
            .flatMap { FileManager.default.fileExists(atPath: $0 + "/Package.swift") ? $0 : nil }
        let deadPort = try RefusingPort()
        defer { deadPort.close() }
        let run = try BanyanCommand.run(
            ["contract", Self.module, "--url", "http://127.0.0.1:\(deadPort.port)"], environment: ["BANYAN_HOME": nil],
            home: elsewhere)
        let here = elsewhere + "/.banyan/service-secret"
        if let checkoutSecret = checkout.map({ $0 + "/.banyan/service-secret" }),
            FileManager.default.fileExists(atPath: checkoutSecret)
        {
            #expect(run.stdout.contains("signing calls with the service secret from \(checkoutSecret)"), run.output)
        } else {
            #expect(run.status == 1, run.output)
            let places = (checkout.map { [$0 + "/.banyan/service-secret"] } ?? []) + [here]
            #expect(run.stderr.contains("there is no \(places.joined(separator: " nor "));"), run.output)
        }
        #expect(!FileManager.default.fileExists(atPath: elsewhere + "/.banyan"), "nothing created where it ran")
    }

    /// `--secret-file` wins over the variable and the state directory.
    @Test func aSecretFileIsUsedAsGiven() throws {
        let home = try ChildProcess.makePrivateDirectory("contract-cli")
        defer { try? FileManager.default.removeItem(atPath: home) }
        let file = home + "/ci-secret"
        try plantSecret(Hex.encode(SecureRandom.bytes(32)), at: file)
        let deadPort = try RefusingPort()
        defer { deadPort.close() }
        let run = try BanyanCommand.run(
            ["contract", Self.module, "--url", "http://127.0.0.1:\(deadPort.port)", "--secret-file", file],
            environment: ["BANYAN_SERVICE_SECRET": String(repeating: "x", count: 40)], home: home)
        #expect(run.status == 1, run.output)
        #expect(run.stdout.contains("signing calls with the service secret from \(file)"), run.output)
        #expect(run.stderr.contains("cannot reach"), run.output)
    }

    /// A short secret from the invocation (the variable) is a usage error;
    /// one a file holds, or a file that is not there, is a failure.
    @Test func aShortSecretIsAUsageErrorFromTheVariableAndAFailureFromAFile() throws {
        let home = try ChildProcess.makePrivateDirectory("contract-cli")
        defer { try? FileManager.default.removeItem(atPath: home) }
        let url = ["--url", "http://127.0.0.1:1"]
        let fromVariable = try BanyanCommand.run(
            ["contract", Self.module] + url, environment: ["BANYAN_SERVICE_SECRET": "short"], home: home)
        #expect(fromVariable.status == 2, fromVariable.output)
        #expect(fromVariable.stderr.contains("BANYAN_SERVICE_SECRET must be at least 32 bytes long"), fromVariable.output)

        try plantSecret("short", at: home + "/service-secret")
        let fromHome = try BanyanCommand.run(["contract", Self.module] + url, environment: [:], home: home)
        #expect(fromHome.status == 1, fromHome.output)
        #expect(fromHome.stderr.contains("the secret in \(home)/service-secret is 5 bytes long"), fromHome.output)

        let fromFile = try BanyanCommand.run(
            ["contract", Self.module] + url + ["--secret-file", home + "/service-secret"], environment: [:], home: home)
        #expect(fromFile.status == 1, fromFile.output)
        #expect(fromFile.stderr.contains("is 5 bytes long; it must have at least 32"), fromFile.output)

        let missing = try BanyanCommand.run(
            ["contract", Self.module] + url + ["--secret-file", home + "/nothing"], environment: [:], home: home)
        #expect(missing.status == 1, missing.output)
        #expect(missing.stderr.contains("--secret-file \(home)/nothing: no such file"), missing.output)
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

/// `text` as a secret file at `path`, mode 0600 as Banyan requires of one.
func plantSecret(_ text: String, at path: String) throws {
    try Data((text + "\n").utf8).write(to: URL(fileURLWithPath: path))
    guard chmod(path, 0o600) == 0 else { throw TestFailure("cannot chmod \(path)") }
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
        environment: routing.merging(["BANYAN_SERVICE_SECRET": secret]) { $1 }.mapValues(Optional.some), home: home)
    return (run, (try? String(contentsOfFile: report, encoding: .utf8)).flatMap(JUnitDocument.parse))
}
