// The real payments-service executable, started as an operator would after
// `banyan migrate`: role-only database login, the token gate, and a stdout
// whose reader went away.
import BanyanTestSupport
import Foundation
import HTTPClient
import Security
import Testing

@Suite(.serialized) struct ServiceExecutableTests {
    /// This process's environment without what would point a child elsewhere, and with `home` as its BANYAN_HOME.
    static func environment(home: String, _ extra: [String: String]) -> [String: String?] {
        var environment: [String: String?] = ["BANYAN_HOME": home]
        for inherited in [
            "BANYAN_SERVICE_PORT", "BANYAN_SERVICE_HOST", "PAYMENT_GATEWAY_URL", "BANYAN_DB_POOL_SIZE",
            "BANYAN_DB_SECRET", "BANYAN_DB_PASSWORD", "BANYAN_DB_ROLE_PREFIX", "BANYAN_SERVICE_SECRET", "DATABASE_URL",
        ] {
            environment[inherited] = .some(nil)
        }
        for (key, value) in extra { environment[key] = value }
        return environment
    }

    /// Runs the built `executable arguments…` in `home` to completion (bounded).
    static func run(
        _ executable: String, _ arguments: [String], environment: [String: String?], home: String, timeout: Double = 120
    ) throws -> ChildProcess.Completed {
        try ChildProcess.run(
            ChildProcess.product(executable), arguments, environment: environment, directory: home, within: timeout)
    }

    /// Whether `pid` ignores SIGPIPE, from the SigIgn mask in /proc.
    static func ignoresSIGPIPE(_ pid: Int32) throws -> Bool {
        let status = try String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)
        let line = try #require(status.split(separator: "\n").first { $0.hasPrefix("SigIgn:") })
        let mask = try #require(UInt64(line.dropFirst("SigIgn:".count).trimmingCharacters(in: .whitespaces), radix: 16))
        return mask & (1 << (UInt64(SIGPIPE) - 1)) != 0
    }

    @Test func aServiceStartedBeforeMigrationFailsFastSayingWhatToRun() throws {
        let home = try ChildProcess.makePrivateDirectory("svc-exec")
        defer { try? FileManager.default.removeItem(atPath: home) }
        let environment = Self.environment(home: home, [
            "DATABASE_URL": TestDatabase.makeDatabase("svc_unmigrated"), "BANYAN_DB_SECRET": TestDatabase.roleSecret,
            "BANYAN_SERVICE_SECRET": Hex.encode(SecureRandom.bytes(32)),
        ])
        let started = Date()
        let outcome = try Self.run("payments-service", ["--port", "0"], environment: environment, home: home)
        #expect(outcome.status == 1)
        #expect(outcome.stderr.contains("banyan migrate"), "stderr: \(outcome.stderr)")
        #expect(Date().timeIntervalSince(started) < 30)
    }

    @Test func afterMigrateTheServiceLogsInAsItsRoleGuardsItsPathsAndOutlivesItsStdoutReader() throws {
        let home = try ChildProcess.makePrivateDirectory("svc-exec")
        defer { try? FileManager.default.removeItem(atPath: home) }
        let adminURL = TestDatabase.makeDatabase("svc_exec")
        // What the gateway's operator runs: migrate with the admin login, then read the role's password.
        let gatewaySide = Self.environment(home: home, ["DATABASE_URL": adminURL, "BANYAN_DB_SECRET": TestDatabase.roleSecret])
        let migrated = try Self.run("banyan", ["migrate"], environment: gatewaySide, home: home)
        #expect(migrated.status == 0, "\(migrated.stderr)")
        let printed = try Self.run("banyan", ["db-password", "payments"], environment: gatewaySide, home: home)
        #expect(printed.status == 0, "\(printed.stderr)")
        let password = printed.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(password == TestDatabase.rolePassword("banyan_payments"))
        // A module that does not exist is a usage error: exit 2, as for every command.
        #expect(try Self.run("banyan", ["db-password", "nothing"], environment: gatewaySide, home: home).status == 2)

        // The service gets a URL whose login is useless (libpq: the last
        // keyword wins), and its role's password only.
        let url = adminURL + " user='postgres' password='not-the-admin-password'"
        let serviceSecret = Hex.encode(SecureRandom.bytes(32))
        let service = try ChildProcess.start(
            ChildProcess.product("payments-service"), ["--port", "0"],
            environment: Self.environment(home: home, [
                "DATABASE_URL": url, "BANYAN_DB_PASSWORD": password, "BANYAN_SERVICE_SECRET": serviceSecret,
            ]),
            directory: home)
        let base = "http://127.0.0.1:\(try service.waitForPort(announcedAs: "service listening", within: 120))"

        // The probes answer anyone; everything else wants a token.
        #expect(try HTTPClient.shared.send(method: "GET", url: base + "/ready").status == 200)
        #expect(try HTTPClient.shared.send(method: "GET", url: base + "/contract").status == 200)
        #expect(try HTTPClient.shared.send(method: "GET", url: base + "/nothing-here").status == 401)
        #expect(try HTTPClient.shared.send(method: "POST", url: base + "/operations/payments.charge", body: Array("{}".utf8)).status == 401)

        #expect(try Self.ignoresSIGPIPE(service.pid))
        // Nobody reads its stdout any more: every log line now meets a closed pipe.
        service.closeOutput()
        let until = Date(timeIntervalSinceNow: 1.5)
        var answered = 0
        while Date() < until, service.isRunning {
            if (try? HTTPClient.shared.send(method: "GET", url: base + "/health").status) == 200 { answered += 1 }
        }
        #expect(service.isRunning, "payments-service died writing to a closed stdout: \(service.exit.map { "\($0)" } ?? "")")
        #expect(answered > 0)
        #expect(try HTTPClient.shared.send(method: "GET", url: base + "/ready").status == 200)

        #expect(service.stop(within: 60) == .success, "payments-service stops on SIGTERM with exit status 0")
    }

    /// The control for the test above: a child that does not ignore SIGPIPE
    /// dies of it under the same conditions, so that test can fail.
    @Test func aChildThatDoesNotIgnoreSIGPIPEDiesOfAClosedStdout() throws {
        let child = try ChildProcess.start(
            URL(fileURLWithPath: "/bin/sh"), ["-c", "while true; do echo tick || exit 3; done"])
        #expect(try !Self.ignoresSIGPIPE(child.pid))
        child.closeOutput()
        let exit = child.waitForExit(within: 10)
        #expect(exit == ChildProcess.Exit(reason: .uncaughtSignal, status: SIGPIPE), "\(exit.map { "\($0)" } ?? "still running")")
    }
}
