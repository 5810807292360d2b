import Contract
import Facade
import Foundation
import PaymentsContract
import Security
import Testing

/// `banyan contract` against the suite's running payments-service, as an
/// extracted service's CI pipeline runs it.
extension PaymentsContractTests {
    @Test func banyanContractPassesAgainstTheServiceAndWritesJUnit() throws {
        let fixture = try ContractFixture.require()
        let home = try ServiceProcess.temporaryHome("contract-cli")
        defer { try? FileManager.default.removeItem(atPath: home) }
        let report = home + "/report.xml"
        let run = try BanyanCommand.run(
            ["contract", "payments", "--url", fixture.service.baseURL, "--junit", report],
            environment: ["BANYAN_SERVICE_SECRET": fixture.service.secret], home: home)

        let count = PaymentsContract.cases.count
        #expect(run.status == 0, run.output)
        #expect(run.stdout.contains("\(count) passed, 0 failed"), run.output)
        #expect(run.stdout.contains("module payments"), run.output)
        #expect(run.stdout.contains(fixture.table.contract.fingerprint), run.output)
        for name in Self.caseNames {
            #expect(run.stdout.contains("ok    \(name)"), "a line for \(name)")
        }

        let xml = try String(contentsOfFile: report, encoding: .utf8)
        let document = try #require(JUnitDocument.parse(xml), "the report is well-formed XML")
        #expect(document.suite["name"] == "payments")
        #expect(document.suite["tests"] == String(count))
        #expect(document.suite["failures"] == "0")
        #expect(document.testCases.map(\.name) == Self.caseNames)
        #expect(document.testCases.allSatisfy { $0.failure == nil })
        #expect(document.properties["fingerprint"] == fixture.table.contract.fingerprint)
        #expect(document.properties["url"] == fixture.service.baseURL)
    }

    @Test func banyanContractFailsEveryCaseWhenTheServiceRefusesItsToken() throws {
        let fixture = try ContractFixture.require()
        let home = try ServiceProcess.temporaryHome("contract-cli")
        defer { try? FileManager.default.removeItem(atPath: home) }
        let report = home + "/report.xml"
        let run = try BanyanCommand.run(
            ["contract", "payments", "--url", fixture.service.baseURL, "--junit", report],
            environment: ["BANYAN_SERVICE_SECRET": Hex.encode(SecureRandom.bytes(32))], home: home)

        let count = PaymentsContract.cases.count
        #expect(run.status == 1, run.output)
        #expect(run.stdout.contains("0 passed, \(count) failed"), run.output)
        #expect(run.stdout.contains("FAIL  "), run.output)
        let document = try #require(JUnitDocument.parse(try String(contentsOfFile: report, encoding: .utf8)))
        #expect(document.suite["failures"] == String(count))
        #expect(document.testCases.count == count)
        for testCase in document.testCases {
            let message = testCase.failure?["message"] ?? ""
            #expect(message.contains("invalid_token"), "\(testCase.name): \(message)")
        }
    }

    @Test func banyanContractRefusesAServiceOfAnotherModule() throws {
        let fixture = try ContractFixture.require()
        let home = try ServiceProcess.temporaryHome("contract-cli")
        defer { try? FileManager.default.removeItem(atPath: home) }
        let run = try BanyanCommand.run(
            ["contract", "inventory", "--url", fixture.service.baseURL],
            environment: ["BANYAN_SERVICE_SECRET": fixture.service.secret], home: home)
        #expect(run.status == 1, run.output)
        #expect(run.stderr.contains("serves the payments module, not inventory"), run.output)
        #expect(!run.stdout.contains("ok    "), "no case ran")
    }
}

@Suite struct ContractCommandTests {
    @Test func nothingListeningExitsNonZeroWithAClearMessageAndAFailedReport() throws {
        let home = try ServiceProcess.temporaryHome("contract-cli")
        defer { try? FileManager.default.removeItem(atPath: home) }
        let deadPort = try RefusingPort()
        defer { deadPort.close() }
        let report = home + "/report.xml"
        let url = "http://127.0.0.1:\(deadPort.port)"
        let run = try BanyanCommand.run(
            ["contract", "payments", "--url", url, "--junit", report],
            environment: ["BANYAN_SERVICE_SECRET": Hex.encode(SecureRandom.bytes(32))], home: home)
        #expect(run.status == 1, run.output)
        #expect(run.stderr.contains("cannot reach \(url)/contract"), run.output)
        #expect(run.stdout.contains("0 passed, 1 failed"), run.output)
        let document = try #require(JUnitDocument.parse(try String(contentsOfFile: report, encoding: .utf8)))
        #expect(document.suite["failures"] == "1")
        #expect(document.testCases.first?.failure?["message"]?.contains("cannot reach") == true)
    }

    @Test(arguments: [
        ["contract"], ["contract", "payments"], ["contract", "payroll", "--url", "http://127.0.0.1:1"],
        ["contract", "payments", "--url", "127.0.0.1:4004"], ["contract", "payments", "--url"],
        ["contract", "payments", "--url", "http://127.0.0.1:1", "--verbose"],
    ])
    func usageErrorsExitTwo(_ arguments: [String]) throws {
        let home = try ServiceProcess.temporaryHome("contract-cli")
        defer { try? FileManager.default.removeItem(atPath: home) }
        let run = try BanyanCommand.run(arguments, environment: [:], home: home)
        #expect(run.status == 2, run.output)
        #expect(run.stderr.contains("usage: banyan contract"), run.output)
    }
}

/// A local port that refuses connections: bound, never listening, held
/// until `close()` so nothing else can take it meanwhile.
struct RefusingPort {
    let port: Int
    private let descriptor: Int32

    init() throws {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw ServiceProcessError("socket: errno \(errno)") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic in
                bind(descriptor, generic, length) == 0 && getsockname(descriptor, generic, &length) == 0
            }
        }
        guard bound else {
            Glibc.close(descriptor)
            throw ServiceProcessError("bind: errno \(errno)")
        }
        self.descriptor = descriptor
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    func close() { Glibc.close(descriptor) }
}
