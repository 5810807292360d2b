import Foundation
import HTTPClient
import Testing

/// The real `banyan` executable as operators run it: its own embedded
/// PostgreSQL under a private BANYAN_HOME, real processes, real signals.
@Suite(.serialized) struct GatewayProcessTests {
    let home: String

    init() throws {
        home = FileManager.default.temporaryDirectory.appendingPathComponent("banyan-proc-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
    }

    static var executable: URL {
        let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("banyan")
        return beside
    }

    func launch(_ arguments: [String], stdout: Pipe? = nil) throws -> Process {
        let process = Process()
        process.executableURL = Self.executable
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["BANYAN_HOME"] = home
        environment["BANYAN_PORT"] = "0"
        environment.removeValue(forKey: "DATABASE_URL")
        process.environment = environment
        process.standardOutput = stdout ?? FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    func wait(_ process: Process, seconds: Double) -> Bool {
        let deadline = Date(timeIntervalSinceNow: seconds)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        return !process.isRunning
    }

    func clusterIsRunning() -> Bool {
        FileManager.default.fileExists(atPath: home + "/pg/data/postmaster.pid")
    }

    @Test func twoProcessesMigratingAtOnceBothSucceedAndLeaveNothingRunning() throws {
        defer { try? FileManager.default.removeItem(atPath: home) }
        #expect(FileManager.default.isExecutableFile(atPath: Self.executable.path), "build the banyan product first")
        let first = try launch(["migrate"])
        let second = try launch(["migrate"])
        #expect(wait(first, seconds: 120))
        #expect(wait(second, seconds: 120))
        #expect(first.terminationStatus == 0)
        #expect(second.terminationStatus == 0)
        #expect(!clusterIsRunning(), "the last process out stops the embedded cluster")
        // And the data is there for the next start: migrating again is a no-op.
        let again = try launch(["migrate"])
        #expect(wait(again, seconds: 120))
        #expect(again.terminationStatus == 0)
    }

    @Test func sigtermStopsTheGatewayAndItsClusterWithExitZero() throws {
        defer { try? FileManager.default.removeItem(atPath: home) }
        let output = Pipe()
        let gateway = try launch(["serve"], stdout: output)
        defer { if gateway.isRunning { gateway.terminate() } }
        // The gateway logs its port (BANYAN_PORT=0 picks a free one).
        var port: Int?
        var buffer = Data()
        let deadline = Date(timeIntervalSinceNow: 120)
        while port == nil, Date() < deadline, gateway.isRunning {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            buffer.append(chunk)
            for line in String(decoding: buffer, as: UTF8.self).split(separator: "\n") {
                guard let entry = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                    entry["msg"] as? String == "gateway listening"
                else { continue }
                port = entry["port"] as? Int
            }
        }
        let listening = try #require(port)
        let health = try HTTPClient.shared.send(method: "GET", url: "http://127.0.0.1:\(listening)/health")
        #expect(health.status == 200)
        #expect(clusterIsRunning())

        kill(gateway.processIdentifier, SIGTERM)
        #expect(wait(gateway, seconds: 60))
        #expect(gateway.terminationReason == .exit)
        #expect(gateway.terminationStatus == 0)
        #expect(!clusterIsRunning())
        #expect(throws: HTTPClientError.self) {
            try HTTPClient.shared.send(method: "GET", url: "http://127.0.0.1:\(listening)/health")
        }
    }
}
