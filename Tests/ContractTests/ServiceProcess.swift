import BanyanTestSupport
import Bootstrap
import Foundation
import Postgres
import Security

/// A module's service executable (`payments-service`, …) running as a
/// child process, started as an operator would: its schema migrated
/// first (as `banyan migrate` does, with the admin login), then the service
/// with `--port 0`, its own database from `DATABASE_URL` (whose login it
/// ignores: it logs in as its module's role), the test cluster's role
/// secret, a random service token secret and a private (0700) `BANYAN_HOME`
/// as working directory (so no `.env` of the checkout leaks in).
///
/// Its stdout and stderr go to files in that home, so a chatty service never
/// blocks on a full pipe and a failed start can say why.
final class ServiceProcess: @unchecked Sendable {
    // `Process` is not Sendable. It is started in `start` before the object
    // is shared, and afterwards only `stop` touches it, once, from the scope
    // that owns it after every test using it has finished.
    private let process: Process
    let executable: String
    let port: Int
    /// The token secret the service verifies with; its UTF-8 bytes sign calls.
    let secret: String
    let home: String

    var baseURL: String { "http://127.0.0.1:\(port)" }
    var tokenSecret: [UInt8] { Array(secret.utf8) }

    private init(process: Process, executable: String, port: Int, secret: String, home: String) {
        self.process = process
        self.executable = executable
        self.port = port
        self.secret = secret
        self.home = home
    }

    /// The directory of the built products: the test bundle sits beside the executables.
    static var productsDirectory: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    }

    static func temporaryHome(_ label: String) throws -> String {
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("banyan-\(label)-\(Hex.encode(SecureRandom.bytes(4)))").path
        // Private, as Banyan requires of its state directory.
        try FileManager.default.createDirectory(
            atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        return path
    }

    /// Migrates `module`'s schema in `databaseURL` as the admin (what
    /// `banyan migrate` does before any service starts), starts its service
    /// executable against it and waits (up to two minutes on a busy machine)
    /// for its "service listening" line.
    static func start(_ module: ModuleDescriptor, databaseURL: String) throws -> ServiceProcess {
        guard let executable = module.service?.executable, let schema = module.schema else {
            throw ServiceProcessError("\(module.name) does not run as a service")
        }
        try Database.open(
            modules: [schema],
            options: Database.Options(
                databaseURL: databaseURL, embeddedDirectory: "/nonexistent", rolePassword: TestDatabase.rolePassword,
                poolSize: 1)
        ).shutdown()
        let path = productsDirectory.appendingPathComponent(executable).path
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw ServiceProcessError("\(path) is missing: build the \(executable) product first")
        }
        let home = try temporaryHome(executable)
        let secret = Hex.encode(SecureRandom.bytes(32))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = ["--port", "0"]
        process.currentDirectoryURL = URL(fileURLWithPath: home)
        var environment = ProcessInfo.processInfo.environment
        for inherited in ["BANYAN_SERVICE_PORT", "BANYAN_SERVICE_HOST", "PAYMENT_GATEWAY_URL", "BANYAN_DB_POOL_SIZE"] {
            environment.removeValue(forKey: inherited)
        }
        environment["DATABASE_URL"] = databaseURL
        environment["BANYAN_DB_SECRET"] = TestDatabase.roleSecret
        environment["BANYAN_SERVICE_SECRET"] = secret
        environment["BANYAN_HOME"] = home
        process.environment = environment
        _ = FileManager.default.createFile(atPath: home + "/stdout.log", contents: nil)
        _ = FileManager.default.createFile(atPath: home + "/stderr.log", contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: home + "/stdout.log"))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: home + "/stderr.log"))
        try process.run()

        let deadline = Date(timeIntervalSinceNow: 120)
        while Date() < deadline {
            if let port = listeningPort(in: read(home + "/stdout.log")) {
                return ServiceProcess(process: process, executable: executable, port: port, secret: secret, home: home)
            }
            guard process.isRunning else { break }
            usleep(20_000)
        }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        throw ServiceProcessError(
            "\(executable) did not start listening; stderr: \(read(home + "/stderr.log").suffix(2000))")
    }

    /// The port of the first `{"msg":"service listening","port":N}` line.
    static func listeningPort(in log: String) -> Int? {
        for line in log.split(separator: "\n") {
            guard let entry = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                entry["msg"] as? String == "service listening", let port = entry["port"] as? Int
            else { continue }
            return port
        }
        return nil
    }

    static func read(_ path: String) -> String {
        (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
    }

    struct Exit: Equatable {
        var reason: Process.TerminationReason
        var status: Int32
    }

    /// SIGTERM, then waits up to a minute for the graceful exit; nil if it
    /// did not come (the process is then killed). Removes the home after.
    func stop() -> Exit? {
        defer { try? FileManager.default.removeItem(atPath: home) }
        guard process.isRunning else { return Exit(reason: process.terminationReason, status: process.terminationStatus) }
        kill(process.processIdentifier, SIGTERM)
        let deadline = Date(timeIntervalSinceNow: 60)
        while process.isRunning && Date() < deadline { usleep(10_000) }
        guard !process.isRunning else {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            return nil
        }
        return Exit(reason: process.terminationReason, status: process.terminationStatus)
    }
}

struct ServiceProcessError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
