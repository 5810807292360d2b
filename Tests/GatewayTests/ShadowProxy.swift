import Foundation
import HTTPClient
import HTTPServer
import Platform
import Synchronization

/// Stands in front of a real service as a shadow home's URL: every request
/// is passed on to it as sent, and the answers come back as it gave them,
/// except that a 2xx answer to `rewriting` has `field` (a top-level integer
/// member) raised by one — the one honest difference a shadow comparison
/// should find. It names every operation called, in arrival order.
final class ShadowProxy: Sendable {
    private let server: HTTPServer
    private let responder: Responder

    init(to upstream: String, rewriting operation: String, field: String) throws {
        responder = Responder(upstream: upstream, operation: operation, field: field)
        var configuration = HTTPServerConfiguration()
        configuration.port = 0
        configuration.workerCount = 4
        configuration.shutdownGracePeriod = 1
        server = HTTPServer(configuration: configuration, responder: responder)
        try server.start()
    }

    deinit { stop() }

    var url: String { "http://127.0.0.1:\(server.port)" }

    /// Every operation called through it, in arrival order.
    var operations: [String] { responder.operations.withLock { $0 } }

    func stop() { server.shutdown() }

    private final class Responder: HTTPResponder {
        let upstream: String
        let operation: String
        let field: String
        let operations = Mutex<[String]>([])

        init(upstream: String, operation: String, field: String) {
            self.upstream = upstream
            self.operation = operation
            self.field = field
        }

        func respond(to request: HTTPRequest) -> HTTPResponse {
            let called = request.path.hasPrefix("/operations/") ? String(request.path.dropFirst("/operations/".count)) : nil
            if let called { operations.withLock { $0.append(called) } }
            // The token, tenant, request id and body pass untouched: the service checks them as it would.
            let hopByHop: Set<String> = ["host", "content-length", "connection", "transfer-encoding", "keep-alive"]
            let headers = request.headers.filter { !hopByHop.contains($0.name.lowercased()) }
            let reply: HTTPClientResponse
            do {
                reply = try HTTPClient.shared.send(
                    method: request.method, url: upstream + request.target, headers: headers,
                    body: request.method == "GET" ? nil : request.body, connectTimeout: 2, totalTimeout: 10)
            } catch {
                return .json(502, Array(#"{"status":502,"code":"bad_gateway","detail":"upstream"}"#.utf8))
            }
            var body = reply.body
            if called == operation, (200...299).contains(reply.status),
                case .object(var members)? = try? WireJSON.decode(JSONValue.self, from: body),
                case .int(let value)? = members[field]
            {
                members[field] = .int(value + 1)
                body = (try? WireJSON.encode(JSONValue.object(members))) ?? body
            }
            let type = reply.headers.first { $0.name.lowercased() == "content-type" }?.value ?? "application/json"
            return HTTPResponse(status: reply.status, headers: HTTPHeaders([("content-type", type)]), body: body)
        }
    }
}
