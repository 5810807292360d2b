import BanyanTestSupport
import Foundation
import HTTPClient

/// `processor-sim` running as a real child process on a free port, with a
/// few helpers to call it the way `HTTPCardProcessor` does.
///
///     let sim = try SimulatorProcess.start(["--decline-rate", "1"])
///     defer { sim.stop() }
///     let reply = try sim.charge(key: "k1")
struct SimulatorProcess {
    let child: ChildProcess
    let port: Int

    var url: String { "http://127.0.0.1:\(port)" }

    /// Starts `processor-sim --port 0 <arguments>` and waits until it logs its port.
    static func start(_ arguments: [String] = [], timeout: Double = 30) throws -> SimulatorProcess {
        let child = try ChildProcess.start(
            ChildProcess.product("processor-sim"), ["--port", "0", "--workers", "32"] + arguments,
            mergingStandardError: true)
        return SimulatorProcess(
            child: child, port: try child.waitForPort(announcedAs: "processor-sim listening", within: timeout))
    }

    /// SIGTERM and a bounded wait, SIGKILL if it hangs.
    func stop() {
        child.stop(within: 10)
    }

    /// SIGKILL: no chance to flush or finish anything.
    func crash() {
        child.kill()
    }

    // MARK: - Calls

    struct Reply {
        var status: Int
        var body: [UInt8]

        /// The body as an answer to a charge or a refund.
        var answer: ProcessorAnswer {
            get throws { try JSONDecoder().decode(ProcessorAnswer.self, from: Data(body)) }
        }

        var knobs: SimulatorKnobs {
            get throws { try JSONDecoder().decode(SimulatorKnobs.self, from: Data(body)) }
        }
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

    /// Changes the knobs `knobs` names (a partial object, as the harness sends it).
    func setKnobs(_ knobs: [String: Any]) throws -> Reply {
        try post("/_sim/knobs", knobs, headers: [])
    }

    func knobs() throws -> SimulatorKnobs {
        try get("/_sim/knobs").knobs
    }

    func ledger() throws -> SimulatorLedger {
        try JSONDecoder().decode(SimulatorLedger.self, from: Data(get("/_sim/ledger").body))
    }

    /// The ledger's charges, in the order they were decided.
    func charges() throws -> [SimulatorLedger.Charge] {
        try ledger().charges
    }

    func get(_ path: String) throws -> Reply {
        try reply(HTTPClient.shared.send(method: "GET", url: url + path, totalTimeout: 10))
    }

    /// Posts `body` as sent, so a test can leave out or mismatch what the simulator checks.
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

    private func reply(_ response: HTTPClientResponse) -> Reply {
        Reply(status: response.status, body: response.body)
    }
}
