import BanyanTestSupport
import Foundation
import Glibc
import Synchronization
import Testing

@testable import HTTPServer

/// A responder made of closures, for tests that need a specific handler.
struct ClosureResponder: HTTPResponder {
    let handler: @Sendable (HTTPRequest) -> HTTPResponse
    let inline: @Sendable (HTTPRequest) -> Bool

    init(
        inline: @escaping @Sendable (HTTPRequest) -> Bool = { _ in false },
        _ handler: @escaping @Sendable (HTTPRequest) -> HTTPResponse
    ) {
        self.handler = handler
        self.inline = inline
    }

    func respond(to request: HTTPRequest) -> HTTPResponse { handler(request) }
    func runsOnIOThread(_ request: HTTPRequest) -> Bool { inline(request) }
}

/// Counts calls across threads.
final class Counter: Sendable {
    private let value = Atomic<Int>(0)
    func increment() { value.wrappingAdd(1, ordering: .relaxed) }
    var count: Int { value.load(ordering: .relaxed) }
}

/// The handlers most tests share, chosen by path:
/// - `/echo` answers the request body, with `x-method` and `x-path` headers;
/// - `/slow?ms=N&id=X` sleeps N ms then answers X;
/// - `/close` answers with `connection: close`;
/// - `/inline…` runs on the I/O thread;
/// - anything else answers `ok <path>`.
struct RoutingResponder: HTTPResponder {
    let calls = Counter()

    func respond(to request: HTTPRequest) -> HTTPResponse {
        calls.increment()
        let parameters = request.queryParameters
        switch request.path {
        case "/echo":
            var headers = HTTPHeaders([("content-type", "application/octet-stream")])
            headers.add("x-method", request.method)
            headers.add("x-path", request.path)
            return HTTPResponse(status: 200, headers: headers, body: request.body)
        case "/slow":
            usleep(UInt32(Int(parameters["ms"] ?? "100")! * 1000))
            return HTTPResponse(status: 200, body: Array((parameters["id"] ?? "slow").utf8))
        case "/close":
            return HTTPResponse(status: 200, headers: HTTPHeaders([("Connection", "close")]), body: Array("bye".utf8))
        default:
            return HTTPResponse(status: 200, body: Array("ok \(request.path)\(parameters["id"].map { " " + $0 } ?? "")".utf8))
        }
    }

    func runsOnIOThread(_ request: HTTPRequest) -> Bool { request.path.hasPrefix("/inline") }
}

/// Starts a server on a free port with test-sized limits, adjusted by `configure`.
func startServer(
    responder: any HTTPResponder = RoutingResponder(),
    _ configure: (inout HTTPServerConfiguration) -> Void = { _ in }
) throws -> HTTPServer {
    var configuration = HTTPServerConfiguration()
    configuration.port = 0
    configuration.workerCount = 4
    configuration.shutdownGracePeriod = 3
    configure(&configuration)
    let server = HTTPServer(configuration: configuration, responder: responder)
    try server.start()
    return server
}

/// Runs `body` against a started server and always shuts it down.
func withServer<Result>(
    responder: any HTTPResponder = RoutingResponder(),
    _ configure: (inout HTTPServerConfiguration) -> Void = { _ in },
    _ body: (HTTPServer) throws -> Result
) throws -> Result {
    let server = try startServer(responder: responder, configure)
    defer { server.shutdown() }
    return try body(server)
}

/// One request on a fresh connection; the common "is the server still fine?" probe.
func get(_ target: String, port: Int) throws -> RawHTTPResponse {
    let connection = try RawHTTPConnection(port: port)
    try connection.send(RawHTTPConnection.request("GET", target))
    return try connection.readResponse()
}

/// Polls `condition` every 10 ms until it holds or `timeout` passes.
func eventually(timeout: Double = 5, _ condition: () -> Bool) -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if condition() { return true }
        usleep(10_000)
    }
    return condition()
}

/// Seconds taken by `body`.
func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = Date()
    try body()
    return Date().timeIntervalSince(start)
}

/// Runs `body` on its own thread (not the cooperative pool) and lets the test wait for it.
final class BackgroundThread: Sendable {
    private let done = Latch()

    init(_ body: @escaping @Sendable () -> Void) {
        let thread = Thread { [done] in
            body()
            done.open()
        }
        thread.start()
    }

    /// True if the body finished within `timeout`.
    func join(timeout: Double = 10) -> Bool {
        eventually(timeout: timeout) { done.isOpened }
    }
}

extension RawHTTPResponse {
    /// The `code` of a problem+json body.
    var problemCode: String? {
        guard header("content-type") == "application/problem+json",
            let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any]
        else { return nil }
        return object["code"] as? String
    }
}
