import BanyanTestSupport
import Foundation
import ModuleRegistry
import Testing

/// scripts/ci-contract, the contract stage of payments-service's pipeline,
/// run as CI runs it with the executables just built: its own state
/// directory, database and service on a free port, `banyan contract`'s exit
/// status and JUnit report — and nothing of it left once it exits, passed
/// or failed.
@Suite(.serialized) struct ContractScriptTests {
    static let script = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("scripts/ci-contract")

    /// What the script did, and what it said it started.
    struct Run {
        let completed: ChildProcess.Completed
        let stateDirectory: String?
        let servicePID: Int32?
        let port: Int?
    }

    /// Runs the script with the products of this build, writing its report to `junit`.
    private func runScript(junit: String, in directory: String) throws -> Run {
        let completed = try ChildProcess.run(
            Self.script, ["--bin", ChildProcess.productsDirectory.path, "--junit", junit],
            environment: ["BANYAN_HOME": nil, "DATABASE_URL": nil, "BANYAN_SERVICE_SECRET": nil],
            directory: directory, within: 600)
        func value(after prefix: String) -> Substring? {
            completed.stderr.split(separator: "\n").first { $0.hasPrefix(prefix) }.map { $0.dropFirst(prefix.count) }
        }
        let service = value(after: "ci-contract: payments-service pid ")?.split(separator: " ")
        return Run(
            completed: completed, stateDirectory: value(after: "ci-contract: state directory ").map(String.init),
            servicePID: service?.first.flatMap { Int32($0) }, port: service?.last.flatMap { Int($0) })
    }

    /// The service it started has exited and been reaped, its state
    /// directory is gone, and no process (the embedded PostgreSQL) still
    /// runs from it.
    private func expectNothingLeft(_ run: Run) throws {
        let directory = try #require(run.stateDirectory, "the script names its state directory")
        let pid = try #require(run.servicePID, "the script names the service's pid")
        #expect(kill(pid, 0) == -1 && errno == ESRCH, "payments-service (pid \(pid)) still exists")
        #expect(!FileManager.default.fileExists(atPath: directory), "\(directory) was removed")
        let running = try FileManager.default.contentsOfDirectory(atPath: "/proc").filter { entry in
            // /proc files say they are empty: read to the end instead of by size.
            guard Int32(entry) != nil, let file = FileHandle(forReadingAtPath: "/proc/\(entry)/cmdline") else { return false }
            defer { try? file.close() }
            return String(decoding: file.readDataToEndOfFile(), as: UTF8.self).contains(directory)
        }
        #expect(running.isEmpty, "processes still running from \(directory): \(running)")
    }

    @Test func itPassesAgainstTheServiceItStartedAndLeavesNothingRunning() throws {
        let work = try ChildProcess.makePrivateDirectory("ci-contract")
        defer { try? FileManager.default.removeItem(atPath: work) }
        let run = try runScript(junit: work + "/report.xml", in: work)
        let output = Comment(rawValue: "stdout:\n\(run.completed.stdout)\nstderr:\n\(run.completed.stderr)")

        let caseNames = try #require(ModuleRegistry.named("payments")?.service?.contract.caseNames)
        #expect(run.completed.status == 0, output)
        #expect(run.completed.stdout.contains("\(caseNames.count) passed, 0 failed"), output)
        let port = try #require(run.port, output)
        #expect(run.completed.stdout.contains("http://127.0.0.1:\(port) serves module payments"), output)
        #expect(run.completed.stdout.contains("signing calls with the service secret from \(run.stateDirectory ?? "?")"), output)

        let document = try #require(
            (try? String(contentsOfFile: work + "/report.xml", encoding: .utf8)).flatMap(JUnitDocument.parse),
            "a well-formed JUnit report")
        #expect(document.suite["name"] == "payments")
        #expect(document.suite["tests"] == String(caseNames.count))
        #expect(document.suite["failures"] == "0")
        #expect(document.testCases.map(\.name) == caseNames)
        try expectNothingLeft(run)
    }

    /// A stage that fails after the service started (here: the report
    /// cannot be written) still stops everything it started.
    @Test func aFailedStageStillStopsWhatItStarted() throws {
        let work = try ChildProcess.makePrivateDirectory("ci-contract")
        defer { try? FileManager.default.removeItem(atPath: work) }
        let run = try runScript(junit: work + "/no-such-directory/report.xml", in: work)
        let output = Comment(rawValue: "stdout:\n\(run.completed.stdout)\nstderr:\n\(run.completed.stderr)")
        #expect(run.completed.status == 1, output)
        #expect(run.completed.stderr.contains("cannot write \(work)/no-such-directory/report.xml"), output)
        #expect(run.completed.stderr.contains("payments-service's log"), "its log is shown on failure: \(output)")
        try expectNothingLeft(run)
    }
}
