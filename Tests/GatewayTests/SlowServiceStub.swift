import Foundation
import HTTPServer
import Synchronization

/// Stands in for a payments-service that has become slow: every operation
/// call is held `hold` seconds (or until `release()`), then answered 404
/// `payment_not_found`. It counts the calls it holds at once, so a test can
/// see how many the gateway let through, and names every operation it got.
final class SlowServiceStub: Sendable {
    private let server: HTTPServer
    private let responder: Responder

    /// - Parameter workers: more than any bulkhead under test, so the stub
    ///   itself never caps the calls it sees.
    init(hold: Double, workers: Int = 48) throws {
        responder = Responder(hold: hold)
        var configuration = HTTPServerConfiguration()
        configuration.port = 0
        configuration.workerCount = workers
        configuration.shutdownGracePeriod = 1
        server = HTTPServer(configuration: configuration, responder: responder)
        try server.start()
    }

    deinit { stop() }

    var url: String { "http://127.0.0.1:\(server.port)" }

    /// Calls held right now.
    var inFlight: Int { responder.calls.withLock { $0.inFlight } }
    /// The most calls it ever held at once.
    var maxInFlight: Int { responder.calls.withLock { $0.maxInFlight } }
    /// Calls answered so far (each after its hold, or after `release()`).
    var answered: Int { responder.calls.withLock { $0.answered } }
    /// Every operation it was called for, in arrival order.
    var operations: [String] { responder.calls.withLock { $0.operations } }

    /// Answers everything held, and everything after, at once.
    func release() { responder.released.signal() }

    func stop() {
        release()
        server.shutdown()
    }

    private final class Responder: HTTPResponder {
        struct Calls {
            var inFlight = 0
            var maxInFlight = 0
            var answered = 0
            var operations: [String] = []
        }

        let hold: Double
        let calls = Mutex(Calls())
        let released = DispatchSemaphore(value: 0)

        init(hold: Double) { self.hold = hold }

        func respond(to request: HTTPRequest) -> HTTPResponse {
            guard request.path.hasPrefix("/operations/") else { return .json(200, Array(#"{"status":"ok"}"#.utf8)) }
            calls.withLock {
                $0.inFlight += 1
                $0.maxInFlight = max($0.maxInFlight, $0.inFlight)
                $0.operations.append(String(request.path.dropFirst("/operations/".count)))
            }
            if released.wait(timeout: .now() + hold) == .success {
                released.signal()  // pass it on to the next one waiting
            }
            calls.withLock {
                $0.inFlight -= 1
                $0.answered += 1
            }
            return .json(
                404, Array(#"{"type":"about:blank","title":"Not Found","status":404,"code":"payment_not_found","detail":"No such payment."}"#.utf8))
        }
    }
}
