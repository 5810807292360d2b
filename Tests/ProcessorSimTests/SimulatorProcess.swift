import BanyanTestSupport
import Foundation
import HTTPClient

/// `processor-sim` running as a real child process on a free port, with a
/// few helpers to call it the way `HTTPCardProcessor` does.
///
///     let sim = try SimulatorProcess.start(["--decline-rate", "1"])
///     defer { sim.stop() }
///     let reply = try sim.charge(key: "k1")
final class SimulatorProcess: @unchecked Sendable {
    // @unchecked: `process` is set once in `init`; `output` guards its bytes with a lock.
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    let port: Int
    private let process: Process
    private let output: ChildOutput

    var url: String { "http://127.0.0.1:\(port)" }
    var log: String { output.text }
    var isRunning: Bool { process.isRunning }

    /// The built executable, where SwiftPM puts products: beside the test bundle.
    static var executable: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("processor-sim")
    }

    /// Starts `processor-sim --port 0 <arguments>` and waits until it logs its port.
    static func start(_ arguments: [String] = [], timeout: Double = 30) throws -> SimulatorProcess {
        try SimulatorProcess(arguments: ["--port", "0", "--workers", "32"] + arguments, timeout: timeout)
    }

    private init(arguments: [String], timeout: Double) throws {
        guard FileManager.default.isExecutableFile(atPath: Self.executable.path) else {
            throw Failure(description: "\(Self.executable.path) is missing: build the processor-sim product first")
        }
        let process = Process()
        process.executableURL = Self.executable
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = ChildOutput()
        let reader = pipe.fileHandleForReading
        let deadline = Date(timeIntervalSinceNow: timeout)
        var found: Int?
        while found == nil, Date() < deadline {
            let chunk = reader.availableData
            if chunk.isEmpty { break }  // end of file: it exited
            output.append(chunk)
            found = output.listeningPort(announcedAs: "processor-sim listening")
        }
        guard let found else {
            if process.isRunning { process.terminate() }
            process.waitUntilExit()
            throw Failure(description: "processor-sim did not start; its output:\n\(output.text)")
        }
        // Keep draining, so the child never blocks on a full pipe.
        Thread.detachNewThread {
            while true {
                let chunk = reader.availableData
                if chunk.isEmpty { return }
                output.append(chunk)
            }
        }
        self.process = process
        self.output = output
        port = found
    }

    deinit { stop() }

    /// SIGTERM and a bounded wait, SIGKILL if it hangs.
    func stop() {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGTERM)
        let deadline = Date(timeIntervalSinceNow: 10)
        while process.isRunning, Date() < deadline { usleep(10_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    /// SIGKILL: no chance to flush or finish anything.
    func crash() {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    // MARK: - Calls

    struct Reply {
        var status: Int
        var json: [String: Any]
    }

    func charge(
        key: String, amountCents: Int64 = 1250, token: String = "tok_visa", timeout: Double = 10
    ) throws -> Reply {
        try post(
            "/charges",
            ["amount_cents": amountCents, "currency": "EUR", "token": token, "idempotency_key": key],
            headers: [("idempotency-key", key)], timeout: timeout)
    }

    func refund(key: String, chargeID: String, amountCents: Int64 = 1250) throws -> Reply {
        try post(
            "/refunds",
            ["charge_id": chargeID, "amount_cents": amountCents, "currency": "EUR", "idempotency_key": key],
            headers: [("idempotency-key", key)])
    }

    func setKnobs(_ knobs: [String: Any]) throws -> Reply {
        try post("/_sim/knobs", knobs, headers: [])
    }

    func get(_ path: String) throws -> Reply {
        try reply(HTTPClient.shared.send(method: "GET", url: url + path, totalTimeout: 10))
    }

    /// The ledger's charges, in the order they were decided.
    func charges() throws -> [[String: Any]] {
        try get("/_sim/ledger").json["charges"] as? [[String: Any]] ?? []
    }

    func post(
        _ path: String, _ body: [String: Any], headers: [(name: String, value: String)], timeout: Double = 10
    ) throws -> Reply {
        let data = try JSONSerialization.data(withJSONObject: body)
        return try postRaw(path, Array(data), headers: headers, timeout: timeout)
    }

    func postRaw(
        _ path: String, _ body: [UInt8], headers: [(name: String, value: String)], timeout: Double = 10
    ) throws -> Reply {
        try reply(
            HTTPClient.shared.send(
                method: "POST", url: url + path, headers: [("content-type", "application/json")] + headers, body: body,
                totalTimeout: timeout, freshConnection: true))
    }

    private func reply(_ response: HTTPClientResponse) throws -> Reply {
        let object = try? JSONSerialization.jsonObject(with: Data(response.body))
        return Reply(status: response.status, json: object as? [String: Any] ?? [:])
    }
}
