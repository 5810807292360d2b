import Foundation
import HTTPServer
import Synchronization

/// A card processor speaking the `HTTPCardProcessor` contract
/// (`POST /charges` → 201 `{"id": …}`) on a free port in the test process.
/// It approves every charge; one with the card token `tok_slow` only after
/// `delay` seconds, like a processor that has become slow. It records each
/// charge it was asked for, and when.
final class CardProcessorStub: Sendable {
    struct Charge: Sendable {
        var idempotencyKey: String
        var token: String
        var arrived: Date
    }

    private let server: HTTPServer
    private let responder: Responder

    init(delay: Double) throws {
        responder = Responder(delay: delay)
        var configuration = HTTPServerConfiguration()
        configuration.port = 0
        configuration.shutdownGracePeriod = 1
        server = HTTPServer(configuration: configuration, responder: responder)
        try server.start()
    }

    deinit { stop() }

    var url: String { "http://127.0.0.1:\(server.port)" }

    var charges: [Charge] { responder.charges.withLock { $0 } }

    /// Answers whatever it still holds at once, then stops serving.
    func stop() {
        responder.stopping.signal()
        server.shutdown()
    }

    private final class Responder: HTTPResponder {
        let delay: Double
        let charges = Mutex<[Charge]>([])
        /// Signalled once to stop: every slow charge then answers at once.
        let stopping = DispatchSemaphore(value: 0)

        init(delay: Double) { self.delay = delay }

        func respond(to request: HTTPRequest) -> HTTPResponse {
            guard request.method == "POST", request.path == "/charges",
                let body = (try? JSONSerialization.jsonObject(with: Data(request.body))) as? [String: Any],
                let key = body["idempotency_key"] as? String, let token = body["token"] as? String
            else { return .json(404, Array(#"{"code":"not_found"}"#.utf8)) }
            charges.withLock { $0.append(Charge(idempotencyKey: key, token: token, arrived: Date())) }
            if token == "tok_slow", stopping.wait(timeout: .now() + delay) == .success {
                stopping.signal()  // pass it on to the next one waiting
            }
            return .json(201, Array(#"{"id":"ch_\#(key)"}"#.utf8))
        }
    }
}
