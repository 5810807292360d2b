import BanyanTestSupport
import Foundation
import ModuleRegistry
import Testing

@testable import Gateway

/// `banyan modules`, the real executable, against a live gateway: the
/// signals table, the gateway's JSON as it came, and the one-line failures.
@Suite struct ModulesCommandTests {
    let app: TestGateway
    /// The CLI's state directory: empty, so the ops token can only come from the environment.
    let home: String

    init() throws {
        app = try TestGateway()
        home = try ChildProcess.makePrivateDirectory("modules-cli")
    }

    struct Run {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    func modules(_ arguments: [String], token: String?) throws -> Run {
        let completed = try ChildProcess.run(
            ChildProcess.product("banyan"), ["modules"] + arguments,
            environment: ["BANYAN_OPS_TOKEN": token, "BANYAN_HOME": home, "BANYAN_GATEWAY_URL": app.baseURL],
            within: 60)
        return Run(status: completed.exit.status, stdout: completed.stdout, stderr: completed.stderr)
    }

    @Test func printsEveryModuleTheBusiestFirst() throws {
        let (tenant, token) = try app.tenantWithAdmin("modules-cli")
        let item = try app.addMenuItem(tenant: tenant, token: token, name: "Soup", priceCents: 600, stock: 10)
        #expect(try app.placeOrder(tenant: tenant, token: token, items: [(item, 1)]).status == 201)

        let run = try modules([], token: app.opsToken)
        #expect(run.status == 0, "\(run.stderr)")
        let lines = run.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first == "last minute")
        #expect(lines.dropFirst().first?.hasPrefix("MODULE") == true, "\(run.stdout)")
        let rows = lines.dropFirst(2).map { $0.split(separator: " ", omittingEmptySubsequences: true).map(String.init) }
        #expect(Set(rows.compactMap(\.first)) == Set(ModuleRegistry.all.map(\.name)), "\(run.stdout)")
        // The rows are in the gateway's order: the most CPU per minute first.
        let report = try app.call("GET", "/admin/modules", token: app.opsToken).decoded(ModuleSignalsReport.self)
        let busy = report.modules.filter { $0.minute.cpuMsPerMinute > 0 }.map(\.module)
        #expect(!busy.isEmpty)
        #expect(Array(rows.compactMap(\.first).prefix(busy.count)) == busy, "\(run.stdout)")
        let chatbot = try #require(rows.first { $0.first == "chatbot" })
        #expect(chatbot[1] == "0" && chatbot[2] == "0", "idle: \(chatbot)")
        #expect(run.stdout.contains("no calls in the last hour"))

        let hour = try modules(["--hour"], token: app.opsToken)
        #expect(hour.status == 0, "\(hour.stderr)")
        #expect(hour.stdout.hasPrefix("last hour\n"))
    }

    @Test func jsonIsTheGatewaysAnswer() throws {
        let run = try modules(["--json"], token: app.opsToken)
        #expect(run.status == 0, "\(run.stderr)")
        let json = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any]
        let modules = try #require(json?["modules"] as? [[String: Any]])
        #expect(Set(modules.compactMap { $0["module"] as? String }) == Set(ModuleRegistry.all.map(\.name)))
        #expect((modules.first?["minute"] as? [String: Any])?["p99_ms"] != nil)
    }

    @Test func failuresAreOneLineAndExitOneUsageErrorsTwo() throws {
        let refused = try modules([], token: "not-the-token")
        #expect(refused.status == 1)
        #expect(refused.stdout.isEmpty)
        #expect(refused.stderr.split(separator: "\n").count == 1, "\(refused.stderr)")
        #expect(refused.stderr.contains("invalid_token"), "\(refused.stderr)")

        let noToken = try modules([], token: nil)
        #expect(noToken.status == 1)
        #expect(noToken.stderr.contains("no ops token"), "\(noToken.stderr)")

        let unreachable = try modules(["--gateway", "http://127.0.0.1:9"], token: app.opsToken)
        #expect(unreachable.status == 1)
        #expect(unreachable.stderr.split(separator: "\n").count == 1, "\(unreachable.stderr)")

        for arguments in [["--bogus"], ["--gateway"]] {
            let usage = try modules(arguments, token: app.opsToken)
            #expect(usage.status == 2, "\(arguments)")
            #expect(usage.stderr.contains("banyan modules --help"), "\(usage.stderr)")
        }
    }
}
