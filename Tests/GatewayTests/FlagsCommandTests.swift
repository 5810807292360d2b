import BanyanTestSupport
import Facade
import Flags
import FlagsAudit
import Foundation
import Gateway
import PaymentsAPI
import Testing

/// `banyan flags …`, the real executable, against a live gateway over real
/// sockets: each change is previewed, gated, written, audited as `cli` and
/// applied by every running gateway before the command returns.
@Suite struct FlagsCommandTests {
    let app: TestGateway
    /// The CLI's state directory: empty, so the ops token can only come from the environment.
    let home: String

    init() throws {
        app = try TestGateway()
        home = try ChildProcess.makePrivateDirectory("flags-cli")
    }

    struct Run {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    /// `banyan flags arguments…` against `gateway` (this suite's by default).
    func flags(_ arguments: [String], gateway: TestGateway? = nil) throws -> Run {
        let completed = try ChildProcess.run(
            ChildProcess.product("banyan"), ["flags"] + arguments + ["--gateway", (gateway ?? app).baseURL],
            environment: ["BANYAN_OPS_TOKEN": app.opsToken, "BANYAN_HOME": home, "BANYAN_GATEWAY_URL": nil],
            within: 60)
        return Run(status: completed.exit.status, stdout: completed.stdout, stderr: completed.stderr)
    }

    func status() throws -> FlagsStatus {
        try app.call("GET", "/admin/flags/status", token: app.opsToken).decoded(FlagsStatus.self)
    }

    /// The tenants whose payments are homed in the service now.
    func inService() throws -> Set<String> {
        Set(try status().tenants.filter { $0.homes["payments"]?.home == "service" }.map(\.tenant))
    }

    func history() throws -> [FlagRoutes.HistoryEntry] {
        try app.call("GET", "/admin/flags/history", token: app.opsToken).decoded([FlagRoutes.HistoryEntry].self)
    }

    func fileVersion() throws -> String {
        FlagsVersion(of: Array(try Data(contentsOf: URL(fileURLWithPath: app.flagsPath)))).description
    }

    /// The tenants a change's printed preview moves for payments: its table's rows.
    static func moved(_ output: String) -> Set<String> {
        Set(
            output.split(separator: "\n").compactMap { line in
                let cells = line.split(separator: " ", omittingEmptySubsequences: true)
                return cells.count == 5 && cells[0] == "payments" ? String(cells[1]) : nil
            })
    }

    /// The first flags.json, by hand (the control plane edits an existing
    /// file): payments' service at `url`, `tenants` homed there. Returns
    /// once the gateway has recorded it as a hand edit, so that record
    /// (which waits out `FlagsApplications.handEditGrace`) cannot land
    /// between the changes a test makes next.
    func start(payments url: String, tenants: [String] = []) throws {
        try app.route("payments", of: tenants, to: url)
        let recorded = try app.eventually(within: 15) { try history().first?.source == "file" }
        #expect(recorded, "the hand edit was not recorded: \((try? history().map(\.source)) ?? [])")
    }

    static var fullPayments: ContractDescription {
        ContractDescription(module: "payments", operations: PaymentsOperations.interface.operations)
    }

    @Test func setRolloutAndRevertAreWrittenAuditedAndAppliedAndTheCohortOnlyGrows() throws {
        let stub = try ContractStub(contract: Self.fullPayments)
        defer { stub.stop() }
        try start(payments: stub.url)
        let tenants = try (0..<40).map { index in
            let tenant = "cli-\(index)-\(UUID().uuidString.prefix(6).lowercased())"
            _ = try app.createTenant(tenant)
            return tenant
        }
        let pilot = tenants[0]

        let set = try flags(["set", "payments", "--tenant", pilot, "--home", "service", "--reason", "pilot", "--by", "alice"])
        #expect(set.status == 0, "\(set.stderr)")
        #expect(Self.moved(set.stdout) == [pilot], "\(set.stdout)")
        #expect(set.stdout.contains("Applied by every running gateway (1)"), "\(set.stdout)")
        let afterSet = try fileVersion()
        #expect(try inService() == [pilot])
        let recorded = try #require(try history().first)
        #expect(recorded.source == "cli")
        #expect(recorded.actor == "alice")
        #expect(recorded.reason == "pilot")
        #expect(recorded.toVersion == afterSet)
        #expect(recorded.gate.result == "passed")

        // 10%: exactly the tenants whose bucket is under 10 move, the pinned one aside.
        func cohort(below percent: Int) -> Set<String> {
            Set(tenants.filter { ModuleRouting.cohortBucket(module: "payments", tenant: $0) < percent })
        }
        let ten = try flags(["rollout", "payments", "--home", "service", "--percent", "10", "--reason", "cohort"])
        #expect(ten.status == 0, "\(ten.stderr)")
        #expect(Self.moved(ten.stdout) == cohort(below: 10).subtracting([pilot]), "\(ten.stdout)")
        let atTen = try inService()
        #expect(atTen == cohort(below: 10).union([pilot]))
        #expect(try status().tenants.first { $0.tenant == pilot }?.homes["payments"]?.why == "explicit")

        // 20%: only adds; the first 10%'s tenants stay.
        let twenty = try flags(["rollout", "payments", "--home", "service", "--percent", "20", "--reason", "more"])
        #expect(twenty.status == 0, "\(twenty.stderr)")
        #expect(Self.moved(twenty.stdout) == cohort(below: 20).subtracting(cohort(below: 10)).subtracting([pilot]))
        let atTwenty = try inService()
        #expect(atTwenty.isSuperset(of: atTen))
        #expect(atTwenty == cohort(below: 20).union([pilot]))

        // A default at the rollout's home is refused with what to do, and writes nothing.
        let before = try fileVersion()
        let refused = try flags(["default", "payments", "--home", "service", "--reason", "all in"])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("rollout payments --remove"), "\(refused.stderr)")
        #expect(refused.stderr.split(separator: "\n").count == 1, "one line: \(refused.stderr)")
        // A dry run prints the preview and writes nothing either.
        let dry = try flags(["rollout", "payments", "--remove", "--reason", "undo", "--dry-run"])
        #expect(dry.status == 0, "\(dry.stderr)")
        #expect(Self.moved(dry.stdout) == atTwenty.subtracting([pilot]))
        #expect(try fileVersion() == before)

        // The cohort off, then every tenant by default.
        #expect(try flags(["rollout", "payments", "--remove", "--reason", "undo"]).status == 0)
        let all = try flags(["default", "payments", "--home", "service", "--reason", "all in"])
        #expect(all.status == 0, "\(all.stderr)")
        #expect(try inService() == Set(tenants))

        // Back to the version after `set`, by a prefix of it.
        let revert = try flags(["revert", String(afterSet.prefix("sha256:".count + 12)), "--reason", "too soon"])
        #expect(revert.status == 0, "\(revert.stderr)")
        #expect(try inService() == [pilot])
        #expect(try fileVersion() == afterSet, "the same routing, written in the same order and layout")
        let reverted = try #require(try history().first)
        #expect(reverted.source == "cli")
        #expect(reverted.reason == "too soon")
        #expect(reverted.toVersion == afterSet)
        #expect(try history().count == 7, "the first file, then set, 10%, 20%, rollout off, default, revert")

        // A usage error is exit 2, with one line; nothing is written.
        let unexplained = try flags(["set", "payments", "--tenant", pilot, "--home", "in-process"])
        #expect(unexplained.status == 2)
        #expect(unexplained.stderr.contains("--reason"))
        #expect(try fileVersion() == afterSet)
    }

    /// Payments' contract as a service that drifted might serve it.
    enum Drift: String, CaseIterable, Sendable {
        case droppedOperation, changedFieldType

        func contract() throws -> ContractDescription {
            var operations = PaymentsOperations.interface.operations
            switch self {
            case .droppedOperation:
                operations.removeFirst()
            case .changedFieldType:
                guard let index = operations.firstIndex(where: { $0.responseShape.contains(#""amount_cents":"integer""#) })
                else { throw TestFailure("no payments operation answers amount_cents as an integer") }
                operations[index].responseShape = operations[index].responseShape.replacingOccurrences(
                    of: #""amount_cents":"integer""#, with: #""amount_cents":"string""#)
            }
            return ContractDescription(module: "payments", operations: operations)
        }
    }

    @Test(arguments: Drift.allCases)
    func theGateRefusesADriftedServiceUnlessForcedAndTheAuditSaysSo(_ drift: Drift) throws {
        let stub = try ContractStub(contract: try drift.contract())
        defer { stub.stop() }
        try start(payments: stub.url)
        let before = try fileVersion()

        let refused = try flags(["set", "payments", "--tenant", "cafe-a", "--home", "service", "--reason", "try"])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("refused by the gate"), "\(refused.stderr)")
        #expect(refused.stdout.contains("Gate: refuses"), "\(refused.stdout)")
        #expect(try fileVersion() == before)

        let forced = try flags([
            "set", "payments", "--tenant", "cafe-a", "--home", "service", "--reason", "try", "--force", "the op is unused",
        ])
        #expect(forced.status == 0, "\(forced.stderr)")
        #expect(forced.stdout.contains("forced past the gate"), "\(forced.stdout)")
        let entry = try #require(try history().first)
        #expect(entry.gate.result == "forced")
        #expect(entry.gate.forceReason == "the op is unused")
        #expect(!entry.gate.findings.isEmpty)
        #expect(try fileVersion() != before)
    }

    @Test func theGatePassesAServiceWithAnAdditiveContract() throws {
        var operations = PaymentsOperations.interface.operations
        var extra = operations[0]
        extra.name = "payments.newly_added"
        operations.append(extra)
        let stub = try ContractStub(contract: ContractDescription(module: "payments", operations: operations))
        defer { stub.stop() }
        try start(payments: stub.url)
        let passed = try flags(["set", "payments", "--tenant", "cafe-a", "--home", "service", "--reason", "additive"])
        #expect(passed.status == 0, "\(passed.stderr)")
        #expect(passed.stdout.contains("Gate: passes."), "\(passed.stdout)")
        #expect(try history().first?.gate.result == "passed")
    }

    @Test func previewOfAFileListsTheMovesAndWritesNothing() throws {
        let stub = try ContractStub(contract: Self.fullPayments)
        defer { stub.stop() }
        try start(payments: stub.url, tenants: ["cafe-a"])
        let before = try fileVersion()
        let candidate = home + "/candidate.json"
        try Data(
            #"{"services": {"payments": "\#(stub.url)"}, "modules": {"payments": {"default": "in-process", "tenants": {"cafe-b": "service"}}}}"#
                .utf8
        ).write(to: URL(fileURLWithPath: candidate))
        let preview = try flags(["preview", candidate])
        #expect(preview.status == 0, "\(preview.stderr)")
        #expect(Self.moved(preview.stdout) == ["cafe-a", "cafe-b"], "\(preview.stdout)")
        #expect(try fileVersion() == before)

        try Data(#"{"modules": {"payments": {"default": "elsewhere"}}}"#.utf8).write(to: URL(fileURLWithPath: candidate))
        let invalid = try flags(["preview", candidate])
        #expect(invalid.status == 1)
        #expect(invalid.stderr.contains("invalid_flags"), "\(invalid.stderr)")
    }

    /// Two more gateways as real `banyan serve` processes over the same
    /// database: one reads the same flags.json, one another file. The CLI
    /// waits for every running gateway, names the one left behind, and one
    /// that stops is no longer waited for.
    @Test func theCLIWaitsForEveryRunningGatewayProcess() throws {
        let stub = try ContractStub(contract: Self.fullPayments)
        defer { stub.stop() }
        try start(payments: stub.url)
        let sameFile = try gatewayProcess("gw-same", flags: app.flagsPath)
        defer { sameFile.stop(within: 20) }
        let otherFile = home + "/other-flags.json"
        try Data(try Data(contentsOf: URL(fileURLWithPath: app.flagsPath))).write(to: URL(fileURLWithPath: otherFile))
        let behind = try gatewayProcess("gw-behind", flags: otherFile)
        defer { behind.stop(within: 20) }
        let all = try app.eventually(within: 30) {
            Set(try status().applied.instances.map(\.instance)).isSuperset(of: ["gw-same", "gw-behind"])
        }
        #expect(all, "running: \((try? status().applied.instances.map(\.instance)) ?? [])")

        let stuck = try flags(["set", "payments", "--tenant", "cafe-a", "--home", "service", "--reason", "r", "--wait", "3"])
        #expect(stuck.status == 1)
        #expect(stuck.stderr.contains("gw-behind"), "\(stuck.stderr)")
        #expect(!stuck.stderr.contains("gw-same"), "\(stuck.stderr)")
        let written = try fileVersion()
        let audit = FlagsAuditLog(database: app.database)
        #expect(try audit.latestApplied()["gw-same"]?.version == written)
        #expect(try audit.latestApplied()["gw-behind"]?.version != written)

        // Stopped, it leaves the running set at once: the next change is applied by every one left.
        #expect(behind.stop(within: 30) == .success)
        #expect(!(try status().applied.instances.map(\.instance).contains("gw-behind")))
        let next = try flags(["set", "payments", "--tenant", "cafe-b", "--home", "service", "--reason", "r"])
        #expect(next.status == 0, "\(next.stderr)")
        #expect(next.stdout.contains("Applied by every running gateway (2)"), "\(next.stdout)")
        #expect(try audit.latestApplied()["gw-same"]?.version == (try fileVersion()))
    }

    /// `banyan serve` over this suite's database, on free ports, as instance `name`.
    private func gatewayProcess(_ name: String, flags path: String) throws -> ChildProcess {
        let state = try ChildProcess.makePrivateDirectory("gw")
        let child = try ChildProcess.start(
            ChildProcess.product("banyan"), ["serve"],
            environment: [
                "DATABASE_URL": app.database.adminConnectionInfo, "BANYAN_DB_SECRET": TestDatabase.roleSecret,
                "BANYAN_HOME": state, "BANYAN_PORT": "0", "BANYAN_INTERNAL_PORT": "0", "BANYAN_FLAGS": path,
                "BANYAN_INSTANCE_ID": name, "BANYAN_OPS_TOKEN": app.opsToken,
            ],
            mergingStandardError: true, owning: state)
        _ = try child.waitForPort(announcedAs: "gateway listening", within: 120)
        return child
    }
}
