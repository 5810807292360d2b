// The real payments-service executable, started as an operator would after
// `banyan migrate`: role-only database login, the token gate, and a stdout
// whose reader went away.
import BanyanTestSupport
import Foundation
import HTTPClient
import Security
import Testing

@Suite(.serialized) struct ServiceExecutableTests {
    static var products: URL { URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent() }

    /// A private (0700) directory for the child's BANYAN_HOME and logs.
    static func privateHome() throws -> String {
        let path = NSTemporaryDirectory() + "banyan-svc-exec-" + Hex.encode(SecureRandom.bytes(4))
        try FileManager.default.createDirectory(
            atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        return path
    }

    /// This process's environment without what would point a child elsewhere.
    static func environment(home: String, _ extra: [String: String]) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment
        for inherited in [
            "BANYAN_SERVICE_PORT", "BANYAN_SERVICE_HOST", "PAYMENT_GATEWAY_URL", "BANYAN_DB_POOL_SIZE",
            "BANYAN_DB_SECRET", "BANYAN_DB_PASSWORD", "BANYAN_DB_ROLE_PREFIX", "BANYAN_SERVICE_SECRET", "DATABASE_URL",
        ] {
            environment.removeValue(forKey: inherited)
        }
        environment["BANYAN_HOME"] = home
        environment.merge(extra) { $1 }
        return environment
    }

    /// Runs `executable arguments…` to completion (bounded), returning status, stdout and stderr.
    static func run(
        _ executable: String, _ arguments: [String], environment: [String: String], home: String, timeout: Double = 120
    ) throws -> (status: Int32, stdout: String, stderr: String) {
        let process = Process()
        process.executableURL = products.appendingPathComponent(executable)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: home)
        process.environment = environment
        let out = home + "/\(executable)-\(UUID().uuidString.prefix(6)).out"
        let err = out + ".err"
        _ = FileManager.default.createFile(atPath: out, contents: nil)
        _ = FileManager.default.createFile(atPath: err, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: out))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: err))
        try process.run()
        let deadline = Date(timeIntervalSinceNow: timeout)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            throw TestFailure("\(executable) \(arguments) did not finish within \(timeout) s")
        }
        let read = { (path: String) in (try? String(contentsOfFile: path, encoding: .utf8)) ?? "" }
        return (process.terminationStatus, read(out), read(err))
    }

    /// Whether `pid` ignores SIGPIPE, from the SigIgn mask in /proc.
    static func ignoresSIGPIPE(_ pid: Int32) throws -> Bool {
        let status = try String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)
        let line = try #require(status.split(separator: "\n").first { $0.hasPrefix("SigIgn:") })
        let mask = try #require(UInt64(line.dropFirst("SigIgn:".count).trimmingCharacters(in: .whitespaces), radix: 16))
        return mask & (1 << (UInt64(SIGPIPE) - 1)) != 0
    }

    @Test func aServiceStartedBeforeMigrationFailsFastSayingWhatToRun() throws {
        let home = try Self.privateHome()
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
        let home = try Self.privateHome()
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
        #expect(try Self.run("banyan", ["db-password", "nothing"], environment: gatewaySide, home: home).status == 1)

        // The service gets a URL whose login is useless (libpq: the last
        // keyword wins), and its role's password only.
        let url = adminURL + " user='postgres' password='not-the-admin-password'"
        let serviceSecret = Hex.encode(SecureRandom.bytes(32))
        let process = Process()
        process.executableURL = Self.products.appendingPathComponent("payments-service")
        process.arguments = ["--port", "0"]
        process.currentDirectoryURL = URL(fileURLWithPath: home)
        process.environment = Self.environment(home: home, [
            "DATABASE_URL": url, "BANYAN_DB_PASSWORD": password, "BANYAN_SERVICE_SECRET": serviceSecret,
        ])
        let stdout = Pipe()
        process.standardOutput = stdout
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: {
            _ = FileManager.default.createFile(atPath: home + "/service.err", contents: nil)
            return home + "/service.err"
        }()))
        try process.run()
        defer {
            if process.isRunning {
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
            }
        }
        var output = Data()
        var port: Int?
        let deadline = Date(timeIntervalSinceNow: 120)
        while port == nil, Date() < deadline {
            let chunk = stdout.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            output.append(chunk)
            port = Self.listeningPort(String(decoding: output, as: UTF8.self))
        }
        let errors = (try? String(contentsOfFile: home + "/service.err", encoding: .utf8)) ?? ""
        let listening = try #require(port, "payments-service did not start: \(errors)")
        let base = "http://127.0.0.1:\(listening)"

        // The probes answer anyone; everything else wants a token.
        #expect(try HTTPClient.shared.send(method: "GET", url: base + "/ready").status == 200)
        #expect(try HTTPClient.shared.send(method: "GET", url: base + "/contract").status == 200)
        #expect(try HTTPClient.shared.send(method: "GET", url: base + "/nothing-here").status == 401)
        #expect(try HTTPClient.shared.send(method: "POST", url: base + "/operations/payments.charge", body: Array("{}".utf8)).status == 401)

        #expect(try Self.ignoresSIGPIPE(process.processIdentifier))
        // Nobody reads its stdout any more: every log line now meets a closed pipe.
        stdout.fileHandleForReading.closeFile()
        let until = Date(timeIntervalSinceNow: 1.5)
        var answered = 0
        while Date() < until, process.isRunning {
            if (try? HTTPClient.shared.send(method: "GET", url: base + "/health").status) == 200 { answered += 1 }
        }
        #expect(process.isRunning, "payments-service died writing to a closed stdout: \(process.terminationReason)")
        #expect(answered > 0)
        #expect(try HTTPClient.shared.send(method: "GET", url: base + "/ready").status == 200)

        kill(process.processIdentifier, SIGTERM)
        let stopBy = Date(timeIntervalSinceNow: 60)
        while process.isRunning && Date() < stopBy { usleep(20_000) }
        #expect(!process.isRunning)
        #expect(process.terminationReason == .exit)
        #expect(process.terminationStatus == 0)
    }

    /// The control for the test above: a child that does not ignore SIGPIPE
    /// dies of it under the same conditions, so that test can fail.
    @Test func aChildThatDoesNotIgnoreSIGPIPEDiesOfAClosedStdout() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "read line; while true; do echo tick || exit 3; done"]
        let stdout = Pipe()
        let stdin = Pipe()
        process.standardOutput = stdout
        process.standardInput = stdin
        try process.run()
        #expect(try !Self.ignoresSIGPIPE(process.processIdentifier))
        stdout.fileHandleForReading.closeFile()
        stdin.fileHandleForWriting.write(Data("go\n".utf8))
        let deadline = Date(timeIntervalSinceNow: 10)
        while process.isRunning && Date() < deadline { usleep(10_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal)
        #expect(process.terminationStatus == SIGPIPE)
    }

    static func listeningPort(_ text: String) -> Int? {
        for line in text.split(separator: "\n") {
            guard let entry = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                entry["msg"] as? String == "service listening"
            else { continue }
            return entry["port"] as? Int
        }
        return nil
    }
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
