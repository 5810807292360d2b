import Facade
import HTTPServer
import Platform
import Synchronization

/// A service that serves a given contract at `GET /contract` and answers
/// every operation call 404 `payment_not_found`, counting them.
final class ContractStub: Sendable {
    private let server: HTTPServer
    private let responder: Responder

    init(contract: ContractDescription) throws {
        responder = Responder(contract: try WireJSON.encode(contract))
        var configuration = HTTPServerConfiguration()
        configuration.port = 0
        configuration.shutdownGracePeriod = 1
        server = HTTPServer(configuration: configuration, responder: responder)
        try server.start()
    }

    deinit { stop() }

    var url: String { "http://127.0.0.1:\(server.port)" }
    /// The operations called, in arrival order.
    var operationCalls: [String] { responder.calls.withLock { $0 } }

    func stop() { server.shutdown() }

    private final class Responder: HTTPResponder {
        let contract: [UInt8]
        let calls = Mutex<[String]>([])

        init(contract: [UInt8]) { self.contract = contract }

        func respond(to request: HTTPRequest) -> HTTPResponse {
            switch request.path {
            case "/contract": return .json(200, contract)
            case let path where path.hasPrefix("/operations/"):
                calls.withLock { $0.append(String(path.dropFirst("/operations/".count))) }
                return .json(
                    404,
                    Array(#"{"type":"about:blank","title":"Not Found","status":404,"code":"payment_not_found","detail":"No such payment."}"#.utf8))
            default: return .json(200, Array(#"{"status":"ok"}"#.utf8))
            }
        }
    }
}
