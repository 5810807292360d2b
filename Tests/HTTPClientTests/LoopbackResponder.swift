import Foundation
import HTTPServer

/// The server side of the client tests: each path shows the client one
/// behaviour, and reports what the server saw in `x-seen-*` headers.
final class LoopbackResponder: HTTPResponder {
    /// `/slow` waits for this (at most 5 s) instead of a fixed sleep: the
    /// test opens it once the client has given up.
    let gate = DispatchSemaphore(value: 0)

    func respond(to request: HTTPRequest) -> HTTPResponse {
        var headers = HTTPHeaders()
        headers.add("x-seen-method", request.method)
        headers.add("x-seen-remote", request.remoteAddress)
        headers.add("x-seen-target", request.target)
        headers.add("x-seen-content-length", request.headers["content-length"] ?? "none")
        headers.add("x-seen-expect", request.headers["expect"] ?? "none")
        headers.add("x-seen-test", request.headers["x-test"] ?? "none")
        switch request.path {
        case "/echo":
            headers.add("content-type", request.headers["content-type"] ?? "application/octet-stream")
            return HTTPResponse(status: 200, headers: headers, body: request.body)
        case "/teapot":
            return HTTPResponse(status: 418, headers: headers, body: Array("short and stout".utf8))
        case "/missing":
            return .problem(.notFound("no_such_thing", "Nothing here."))
        case "/redirect":
            headers.add("location", "/echo")
            return HTTPResponse(status: 302, headers: headers)
        case "/repeated":
            headers.add("set-cookie", "a=1")
            headers.add("Set-Cookie", "b=2")
            headers.add("X-Mixed-Case", "  padded value  ")
            return HTTPResponse(status: 200, headers: headers)
        case "/big":
            let size = Int(request.queryParameters["size"] ?? "") ?? 0
            return HTTPResponse(status: 200, headers: headers, body: [UInt8](repeating: 0x61, count: size))
        case "/slow":
            _ = gate.wait(timeout: .now() + 5)
            return HTTPResponse(status: 200, headers: headers, body: Array("late".utf8))
        default:
            return HTTPResponse(status: 404, headers: headers)
        }
    }
}
