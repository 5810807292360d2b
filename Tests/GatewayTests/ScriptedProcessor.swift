import Foundation
import HTTPServer
import Synchronization

/// A card processor in the test process, speaking the `HTTPCardProcessor`
/// contract (`POST /charges`, `POST /refunds`), whose behaviour a test
/// scripts: approve, fail without charging, charge but answer late, or hold
/// every charge until released.
///
/// It keeps a ledger the way a real processor does: one charge per
/// idempotency key, a repeated key answered with its first charge. So a test
/// can tell "asked twice" (`calls(key:)`) from "charged twice" (a second
/// charge would need a second key: `chargeCount`).
///
/// Tokens: `tok_declined` is declined (402 `card_declined`), any other
/// `tok_…` approved, anything else — an empty token, one lost on the way —
/// declined as a real processor would.
final class ScriptedProcessor: Sendable {
    enum Behaviour: Sendable, Equatable {
        /// Charges and answers at once.
        case approve
        /// 503 without charging: the processor is down.
        case unavailable
        /// Charges at once, answers after the seconds: whoever gave up
        /// waiting does not know the money moved.
        case late(Double)
        /// Waits until `heal()` (or `stop()`), then charges and answers.
        case held
    }

    private let server: HTTPServer
    private let responder: Responder

    init() throws {
        responder = Responder()
        var configuration = HTTPServerConfiguration()
        configuration.port = 0
        configuration.workerCount = 32
        configuration.shutdownGracePeriod = 1
        server = HTTPServer(configuration: configuration, responder: responder)
        try server.start()
    }

    deinit { stop() }

    var url: String { "http://127.0.0.1:\(server.port)" }

    /// How the next charges are answered. `.held` closes the gate that
    /// `heal()` opens.
    var behaviour: Behaviour {
        get { responder.state.withLock { $0.behaviour } }
        set {
            responder.state.withLock { $0.behaviour = newValue }
            if newValue == .held { responder.gate.close() }
        }
    }

    /// Back to approving at once; charges being held are let through.
    func heal() {
        behaviour = .approve
        responder.gate.open()
    }

    /// Lets everything held through, then stops serving.
    func stop() {
        responder.gate.open()
        server.shutdown()
    }

    /// Charge calls made with `key` (the payment id Payments sends), answered or not.
    func calls(key: String) -> Int { responder.state.withLock { $0.calls[key, default: 0] } }
    /// The charge taken under `key`, if any.
    func charge(key: String) -> String? { responder.state.withLock { $0.charges[key] } }
    /// Charges taken in all, one per key at most.
    var chargeCount: Int { responder.state.withLock { $0.charges.count } }
    /// Every charge call so far.
    var totalCalls: Int { responder.state.withLock { $0.calls.values.reduce(0, +) } }
    /// Charge calls waiting for an answer right now (held or late).
    var inFlight: Int { responder.state.withLock { $0.inFlight } }
    /// Refund calls for the charge `charge`.
    func refunds(of charge: String) -> Int { responder.state.withLock { $0.refunds[charge, default: 0] } }
    var totalRefunds: Int { responder.state.withLock { $0.refunds.values.reduce(0, +) } }

    /// Polls until `inFlight` is `count`; false after `seconds`.
    func waitForInFlight(_ count: Int, within seconds: Double = 10) -> Bool {
        let deadline = Date(timeIntervalSinceNow: seconds)
        while inFlight != count {
            guard Date() < deadline else { return false }
            usleep(10_000)
        }
        return true
    }

    private struct State {
        var behaviour = Behaviour.approve
        var calls: [String: Int] = [:]
        var charges: [String: String] = [:]
        var refunds: [String: Int] = [:]
        var inFlight = 0
    }

    /// A gate held charges wait at; bounded so a failing test cannot hang a worker forever.
    private final class Gate: @unchecked Sendable {
        // @unchecked: `isOpen` is only touched while `condition` is locked.
        private let condition = NSCondition()
        private var isOpen = true

        func close() {
            condition.lock()
            isOpen = false
            condition.unlock()
        }

        func open() {
            condition.lock()
            isOpen = true
            condition.broadcast()
            condition.unlock()
        }

        func pass(within seconds: Double = 30) {
            let deadline = Date(timeIntervalSinceNow: seconds)
            condition.lock()
            while !isOpen, condition.wait(until: deadline) {}
            condition.unlock()
        }
    }

    private final class Responder: HTTPResponder {
        let state = Mutex(State())
        let gate = Gate()

        func respond(to request: HTTPRequest) -> HTTPResponse {
            let body = (try? JSONSerialization.jsonObject(with: Data(request.body))) as? [String: Any] ?? [:]
            switch (request.method, request.path) {
            case ("POST", "/charges"):
                guard let key = request.headers["idempotency-key"] ?? body["idempotency_key"] as? String else {
                    return .json(400, Array(#"{"code":"missing_key"}"#.utf8))
                }
                return charge(key: key, token: body["token"] as? String ?? "")
            case ("POST", "/refunds"):
                guard let charge = body["charge_id"] as? String,
                    state.withLock({ $0.charges.values.contains(charge) })
                else { return .json(404, Array(#"{"code":"no_such_charge"}"#.utf8)) }
                state.withLock { $0.refunds[charge, default: 0] += 1 }
                return .json(201, Array(#"{"id":"re_\#(charge)"}"#.utf8))
            default:
                return .json(404, Array(#"{"code":"not_found"}"#.utf8))
            }
        }

        private func charge(key: String, token: String) -> HTTPResponse {
            let behaviour = state.withLock { state in
                state.calls[key, default: 0] += 1
                state.inFlight += 1
                return state.behaviour
            }
            defer { state.withLock { $0.inFlight -= 1 } }
            guard token.hasPrefix("tok_"), token != "tok_declined" else {
                return .json(402, Array(#"{"code":"card_declined"}"#.utf8))
            }
            switch behaviour {
            case .approve:
                return approved(take(key))
            case .unavailable:
                return .json(503, Array(#"{"code":"unavailable"}"#.utf8))
            case .late(let seconds):
                let charge = take(key)
                Thread.sleep(forTimeInterval: seconds)
                return approved(charge)
            case .held:
                gate.pass()
                return approved(take(key))
            }
        }

        /// The charge under `key`: the first one, or a new one.
        private func take(_ key: String) -> String {
            state.withLock { state in
                if let charge = state.charges[key] { return charge }
                let charge = "ch_\(UUID().uuidString.prefix(12).lowercased())"
                state.charges[key] = charge
                return charge
            }
        }

        private func approved(_ charge: String) -> HTTPResponse {
            .json(201, Array(#"{"id":"\#(charge)"}"#.utf8))
        }
    }
}
