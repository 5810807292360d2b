import Foundation
import Glibc

/// A program (usually one of this package's built products) running as a
/// child process of a test: started with its arguments and environment,
/// its output drained into memory as it comes, waited on for the line that
/// says it is ready and for its exit, stopped with SIGTERM or killed.
///
///     let home = try ChildProcess.makePrivateDirectory("svc")
///     let child = try ChildProcess.start(
///         ChildProcess.product("payments-service"), ["--port", "0"],
///         environment: ["BANYAN_HOME": home, "DATABASE_URL": nil], directory: home, owning: home)
///     let port = try child.waitForPort(announcedAs: "service listening", within: 60)
///     …
///     #expect(child.stop() == .success)
///
/// Cleanup is guaranteed: once the last reference goes, a child still
/// running is stopped (SIGTERM, then SIGKILL) and the directory it was
/// given to own is removed. Keep the object while the child must live.
package final class ChildProcess: @unchecked Sendable {
    // @unchecked: `process` is configured and started in `start` and then
    // only read through its thread-safe accessors or signalled by pid; the
    // outputs and `latch` guard their own state.
    package struct Exit: Equatable, Sendable, CustomStringConvertible {
        package var reason: Process.TerminationReason
        package var status: Int32

        package init(reason: Process.TerminationReason, status: Int32) {
            self.reason = reason
            self.status = status
        }

        package static let success = Exit(reason: .exit, status: 0)

        package var description: String { reason == .exit ? "exit status \(status)" : "signal \(status)" }
    }

    /// A program run to completion.
    package struct Completed: Sendable {
        package var exit: Exit
        package var stdout: String
        package var stderr: String

        package var status: Int32 { exit.status }
    }

    /// What the program is called, for messages.
    package let name: String
    private let process: Process
    private let standardOutput: ChildOutput
    /// nil when standard error goes to `standardOutput`.
    private let standardError: ChildOutput?
    private let ownedDirectory: String?
    private let latch: ExitLatch

    package var pid: Int32 { process.processIdentifier }

    /// How it ended; nil while it runs.
    package var exit: Exit? { latch.exit }

    package var isRunning: Bool { exit == nil }

    /// What it wrote to standard output (and standard error, when merged)
    /// so far; only the recent part of a long output.
    package var output: String { standardOutput.text }

    /// What it wrote to standard error so far (empty when merged into `output`).
    package var errorOutput: String { standardError?.text ?? "" }

    /// Both outputs, labelled, for a failing test's message.
    package var transcript: String {
        guard let standardError else { return "output:\n\(output)" }
        return "stdout:\n\(output)\nstderr:\n\(standardError.text)"
    }

    // MARK: - Where things are

    /// Where SwiftPM put the built products (`.build/<config>`): the test bundle sits among them.
    package static var productsDirectory: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    }

    /// The built product `name` (an executable of Package.swift).
    package static func product(_ name: String) -> URL {
        productsDirectory.appendingPathComponent(name)
    }

    /// A new private (0700) directory under the temporary directory, as
    /// Banyan requires of its state directory (`BANYAN_HOME`).
    package static func makePrivateDirectory(_ label: String) throws -> String {
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("banyan-\(label)-\(UUID().uuidString.prefix(8).lowercased())").path
        try FileManager.default.createDirectory(
            atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        return path
    }

    // MARK: - Starting

    /// Starts `executable arguments…` with this process's environment
    /// changed by `environment` (a nil value removes the variable), in
    /// `directory` when given, its standard input /dev/null.
    ///
    /// - Parameters:
    ///   - mergingStandardError: standard error goes to `output` too, interleaved as written.
    ///   - owning: a directory removed once the child is stopped (or failed to start).
    package static func start(
        _ executable: URL, _ arguments: [String] = [], environment: [String: String?] = [:], directory: String? = nil,
        mergingStandardError: Bool = false, owning ownedDirectory: String? = nil
    ) throws -> ChildProcess {
        do {
            guard FileManager.default.isExecutableFile(atPath: executable.path) else {
                throw TestFailure(
                    "\(executable.path) is missing: build the \(executable.lastPathComponent) product first "
                        + "(swift build --build-tests)")
            }
            return try ChildProcess(
                executable, arguments, environment: environment, directory: directory,
                mergingStandardError: mergingStandardError, owning: ownedDirectory)
        } catch {
            if let ownedDirectory { try? FileManager.default.removeItem(atPath: ownedDirectory) }
            throw error
        }
    }

    /// Runs `executable arguments…` (as `start` does) until it exits, for
    /// at most `seconds` (then it is killed and this throws), and returns
    /// its exit and everything it wrote.
    package static func run(
        _ executable: URL, _ arguments: [String] = [], environment: [String: String?] = [:], directory: String? = nil,
        within seconds: Double
    ) throws -> Completed {
        let child = try start(executable, arguments, environment: environment, directory: directory)
        guard let exit = child.waitForExit(within: seconds) else {
            child.kill()
            throw TestFailure(
                "\(child.name) \(arguments.joined(separator: " ")) did not finish within \(seconds) s; "
                    + child.transcript)
        }
        return Completed(exit: exit, stdout: child.output, stderr: child.errorOutput)
    }

    private init(
        _ executable: URL, _ arguments: [String], environment changes: [String: String?], directory: String?,
        mergingStandardError: Bool, owning ownedDirectory: String?
    ) throws {
        name = executable.lastPathComponent
        process = Process()
        process.executableURL = executable
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        for (key, value) in changes { environment[key] = value }
        process.environment = environment
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        process.standardInput = FileHandle.nullDevice
        let stdout = Pipe()
        let stderr = mergingStandardError ? stdout : Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        let latch = ExitLatch()
        // The handler holds the latch, not `self`: the object must be free to go (and stop the child).
        process.terminationHandler = { latch.record(Exit(reason: $0.terminationReason, status: $0.terminationStatus)) }
        try process.run()
        self.latch = latch
        self.ownedDirectory = ownedDirectory
        standardOutput = ChildOutput(draining: stdout.fileHandleForReading)
        standardError = mergingStandardError ? nil : ChildOutput(draining: stderr.fileHandleForReading)
    }

    deinit {
        stop(within: 20)
    }

    // MARK: - Waiting

    /// Waits for a line of `output` that `parse` makes something of, and
    /// returns that; nil if the output ended (the child exited) or `seconds`
    /// passed first.
    package func waitForLine<T>(within seconds: Double, _ parse: (Substring) -> T?) -> T? {
        standardOutput.wait(until: Date(timeIntervalSinceNow: seconds)) { text in
            for line in text.split(separator: "\n") {
                if let found = parse(line) { return found }
            }
            return nil
        }
    }

    /// The `port` of the first JSON log line whose `msg` is `message`: how
    /// Banyan's executables and processor-sim say which free port
    /// `--port 0` (or `BANYAN_PORT=0`) gave them, once they accept
    /// connections. Throws with the child's output if it exited or said
    /// nothing of the kind within `seconds`.
    package func waitForPort(announcedAs message: String, within seconds: Double) throws -> Int {
        let port = waitForLine(within: seconds) { line -> Int? in
            guard let entry = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                entry["msg"] as? String == message
            else { return nil }
            return entry["port"] as? Int
        }
        guard let port else {
            let state = exit.map { "exited (\($0))" } ?? "no \"\(message)\" line within \(seconds) s"
            throw TestFailure("\(name) did not start: \(state); \(transcript.suffix(4000))")
        }
        return port
    }

    /// Waits for the child to exit, for at most `seconds`; how it ended, or
    /// nil if it still runs. Its output is complete once this returns an exit.
    package func waitForExit(within seconds: Double) -> Exit? {
        let deadline = Date(timeIntervalSinceNow: seconds)
        guard let exit = latch.wait(until: deadline) else { return nil }
        // Whatever it wrote last may still be in the pipe; a grandchild that
        // kept the pipe open must not hold us long.
        let outputDeadline = Date(timeIntervalSinceNow: 5)
        standardOutput.waitForEnd(until: outputDeadline)
        standardError?.waitForEnd(until: outputDeadline)
        return exit
    }

    // MARK: - Stopping

    /// SIGTERM, then waits up to `seconds` for it to exit: its exit, or nil
    /// if it had to be killed (SIGKILL) after all. Removes the directory it owns.
    @discardableResult
    package func stop(within seconds: Double = 60) -> Exit? {
        defer { removeOwnedDirectory() }
        if isRunning { Glibc.kill(pid, SIGTERM) }
        if let exit = waitForExit(within: seconds) { return exit }
        kill()
        return nil
    }

    /// SIGKILL: no chance to flush or finish anything (a crash, for fault
    /// tests). Waits for it to be gone and returns how it ended.
    @discardableResult
    package func kill() -> Exit {
        if isRunning { Glibc.kill(pid, SIGKILL) }
        // SIGKILL cannot be caught: the exit follows at once.
        return latch.wait()
    }

    /// Stops reading standard output and closes its read end: the child's
    /// next write meets a pipe whose reader went away.
    package func closeOutput() {
        standardOutput.close()
    }

    private func removeOwnedDirectory() {
        if let ownedDirectory { try? FileManager.default.removeItem(atPath: ownedDirectory) }
    }
}

/// The child's exit, recorded by `Process`'s termination handler and awaited by the test.
private final class ExitLatch: @unchecked Sendable {
    // @unchecked: `recorded` is only touched holding `condition`.
    private let condition = NSCondition()
    private var recorded: ChildProcess.Exit?

    var exit: ChildProcess.Exit? {
        condition.lock()
        defer { condition.unlock() }
        return recorded
    }

    func record(_ exit: ChildProcess.Exit) {
        condition.lock()
        recorded = exit
        condition.broadcast()
        condition.unlock()
    }

    func wait() -> ChildProcess.Exit {
        condition.lock()
        defer { condition.unlock() }
        while true {
            if let recorded { return recorded }
            condition.wait()
        }
    }

    func wait(until deadline: Date) -> ChildProcess.Exit? {
        condition.lock()
        defer { condition.unlock() }
        while recorded == nil, Date() < deadline { _ = condition.wait(until: deadline) }
        return recorded
    }
}
