import Foundation
import Testing

/// The built `banyan` executable run to completion, as CI runs it.
struct BanyanCommand {
    var status: Int32
    var stdout: String
    var stderr: String

    /// Runs `banyan arguments…` with `environment` added to this process's
    /// (minus the settings that would point it elsewhere), in `home`.
    static func run(_ arguments: [String], environment extra: [String: String], home: String) throws -> BanyanCommand {
        let process = Process()
        process.executableURL = ServiceProcess.productsDirectory.appendingPathComponent("banyan")
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: home)
        var environment = ProcessInfo.processInfo.environment
        environment.removeValue(forKey: "BANYAN_SERVICE_SECRET")
        environment["BANYAN_HOME"] = home
        environment.merge(extra) { $1 }
        process.environment = environment
        let out = home + "/banyan-stdout.log"
        let err = home + "/banyan-stderr.log"
        _ = FileManager.default.createFile(atPath: out, contents: nil)
        _ = FileManager.default.createFile(atPath: err, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: out))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: err))
        try process.run()
        let deadline = Date(timeIntervalSinceNow: 300)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            throw ServiceProcessError("banyan \(arguments.joined(separator: " ")) did not finish in 5 minutes")
        }
        return BanyanCommand(
            status: process.terminationStatus, stdout: ServiceProcess.read(out), stderr: ServiceProcess.read(err))
    }

    var output: Comment { Comment(rawValue: "stdout:\n\(stdout)\nstderr:\n\(stderr)") }
}
