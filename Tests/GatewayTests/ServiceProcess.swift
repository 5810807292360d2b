import BanyanTestSupport
import Foundation

/// An extracted service executable (`payments-service`, `inventory-service`)
/// running as a real child process on a free port, over the same database
/// and with the same service-token secret as a `TestGateway`, so the gateway
/// can route a tenant's calls to it.
///
///     let service = try ServiceProcess.start("payments-service", beside: app)
///     defer { service.stop() }
///     // flags.json: "services": {"payments": service.url}
final class ServiceProcess: @unchecked Sendable {
    // @unchecked: `process` is only started in `init` and then read; its
    // termination is observed through `Process`'s own thread-safe accessors.
    // The captured output is guarded by `output`'s lock.
    let name: String
    let port: Int
    private let process: Process
    private let output: ChildOutput
    /// Its BANYAN_HOME, removed once it stopped.
    private let home: String

    var url: String { "http://127.0.0.1:\(port)" }

    /// The built executable `name`, found where SwiftPM puts it: beside the test bundle.
    static func executable(_ name: String) -> URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent(name)
    }

    /// Starts `name --port 0` sharing `app`'s database and `app`'s service
    /// secret, and waits until it logs the port it listens on. The gateway
    /// migrated every schema when it opened the database, which a service
    /// needs first: it logs in as its module's role only (the admin login in
    /// `DATABASE_URL` is ignored) and never migrates.
    ///
    /// `environment` is added last, over everything else (e.g. `PAYMENT_GATEWAY_URL`).
    static func start(
        _ name: String, beside app: TestGateway, environment extra: [String: String] = [:], timeout: Double = 60
    ) throws -> ServiceProcess {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("banyan-svc-\(UUID().uuidString.prefix(8))").path
        // Private, as Banyan requires of its state directory.
        try FileManager.default.createDirectory(
            atPath: home, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        var environment = ProcessInfo.processInfo.environment
        environment["DATABASE_URL"] = app.database.adminConnectionInfo
        environment["BANYAN_DB_SECRET"] = TestDatabase.roleSecret
        environment["BANYAN_SERVICE_SECRET"] = String(decoding: app.serviceSecret, as: UTF8.self)
        // Its own state directory, so nothing is written into the repository's .banyan.
        environment["BANYAN_HOME"] = home
        environment.removeValue(forKey: "BANYAN_SERVICE_PORT")
        environment.merge(extra) { _, given in given }
        do {
            return try ServiceProcess(
                name: name, arguments: ["--port", "0"], environment: environment, home: home, timeout: timeout)
        } catch {
            try? FileManager.default.removeItem(atPath: home)
            throw error
        }
    }

    private init(name: String, arguments: [String], environment: [String: String], home: String, timeout: Double) throws {
        let executable = Self.executable(name)
        guard FileManager.default.isExecutableFile(atPath: executable.path) else {
            throw TestFailure("\(executable.path) is missing: build the \(name) product first")
        }
        self.name = name
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.environment = environment
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()

        // Read until the "service listening" line names the port, then keep
        // draining so the child never blocks on a full pipe.
        let output = ChildOutput()
        let reader = pipe.fileHandleForReading
        let deadline = Date(timeIntervalSinceNow: timeout)
        var found: Int?
        while found == nil, Date() < deadline {
            let chunk = reader.availableData
            if chunk.isEmpty { break }  // end of file: the child exited
            output.append(chunk)
            found = output.listeningPort(announcedAs: "service listening")
        }
        guard let found else {
            if process.isRunning { process.terminate() }
            process.waitUntilExit()
            throw TestFailure("\(name) did not start; its output:\n\(output.text)")
        }
        Thread.detachNewThread {
            while true {
                let chunk = reader.availableData
                if chunk.isEmpty { return }
                output.append(chunk)
            }
        }
        self.process = process
        self.output = output
        self.home = home
        port = found
    }

    deinit { stop() }

    var isRunning: Bool { process.isRunning }

    /// Everything the child printed so far, for a failing test's message.
    var log: String { output.text }

    /// SIGTERM, then waits (bounded) for a graceful exit; SIGKILL if it hangs.
    func stop() {
        if process.isRunning {
            kill(process.processIdentifier, SIGTERM)
            let deadline = Date(timeIntervalSinceNow: 20)
            while process.isRunning, Date() < deadline { usleep(20_000) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(atPath: home)
    }
}
