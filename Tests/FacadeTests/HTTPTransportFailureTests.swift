// What HTTPTransport makes of a service that does not answer as the
// contract says: always ModuleUnavailable, never a success, never a domain error.
import Facade
import Foundation
import HTTPServer
import Platform
import Testing

/// A server that answers every request with the same bytes.
private struct FixedResponder: HTTPResponder {
    let response: HTTPResponse
    func respond(to request: HTTPRequest) -> HTTPResponse { response }
}

@Suite("HTTPTransport failures")
struct HTTPTransportFailureTests {
    private func withServer(
        answering response: HTTPResponse, _ body: (HTTPTransport) throws -> Void
    ) throws {
        var configuration = HTTPServerConfiguration()
        configuration.port = 0
        configuration.workerCount = 1
        let server = HTTPServer(configuration: configuration, responder: FixedResponder(response: response))
        try server.start()
        defer { server.shutdown() }
        try body(
            HTTPTransport(
                module: "echo", baseURL: "http://127.0.0.1:\(server.port)", tokens: EchoService.tokens,
                decodeError: EchoModule.table().decodeError))
    }

    private func unavailable(_ transport: HTTPTransport) -> ModuleUnavailable? {
        #expect(throws: ModuleUnavailable.self) {
            try transport.call(EchoOperations.say, Fixtures.context(), SayRequest(text: "a"))
        }
    }

    @Test func connectionRefusedIsUnavailableWithinTheConnectTimeout() throws {
        // A port that was just free: start a server, note its port, stop it.
        var configuration = HTTPServerConfiguration()
        configuration.port = 0
        let server = HTTPServer(configuration: configuration, responder: FixedResponder(response: .json(200, [])))
        try server.start()
        let port = server.port
        server.shutdown()
        let transport = HTTPTransport(
            module: "echo", baseURL: "http://127.0.0.1:\(port)", tokens: EchoService.tokens,
            decodeError: EchoModule.table().decodeError, connectTimeout: 1)
        let started = Date()
        let error = unavailable(transport)
        #expect(Date().timeIntervalSince(started) < 1.5)
        #expect(error?.module == "echo")
        #expect(error?.reason == "connection refused")
        #expect(error?.problem.status == 503)
        #expect(error?.problem.code == "module_unavailable")
    }

    @Test func unroutableAddressIsUnavailableWithinTheConnectTimeout() throws {
        // TEST-NET-1 (RFC 5737): never answers; some sandboxes refuse it at once instead.
        let transport = HTTPTransport(
            module: "echo", baseURL: "http://192.0.2.1:4004", tokens: EchoService.tokens,
            decodeError: EchoModule.table().decodeError, connectTimeout: 0.3)
        let started = Date()
        _ = unavailable(transport)
        #expect(Date().timeIntervalSince(started) < 1.3)
    }

    @Test func handlerSlowerThanTheTotalTimeoutIsUnavailable() throws {
        try withEchoService { service in
            let transport = service.transport(totalTimeout: 0.3)
            let started = Date()
            let error = #expect(throws: ModuleUnavailable.self) {
                try transport.call(EchoOperations.slow, Fixtures.context(), SlowRequest(milliseconds: 1500))
            }
            #expect(Date().timeIntervalSince(started) < 1.2)
            #expect(error?.reason == "timed out")
        }
    }

    @Test func deadlineShortensTheTimeout() throws {
        try withEchoService { service in
            let transport = service.transport(totalTimeout: 5)
            let started = Date()
            #expect(throws: ModuleUnavailable.self) {
                try transport.call(
                    EchoOperations.slow, Fixtures.context(deadline: Date().addingTimeInterval(0.3)),
                    SlowRequest(milliseconds: 1500))
            }
            #expect(Date().timeIntervalSince(started) < 1.2)
        }
    }

    @Test(arguments: [
        "not json at all",
        #"{"status":"ok"}"#,
        // An error body sent with a success status is still not a success.
        #"{"type":"urn:banyan:problem:echo_busy","title":"Conflict","status":409,"detail":"x","code":"echo_busy"}"#,
        "",
    ])
    func garbled200IsUnavailable(body: String) throws {
        try withServer(answering: .json(200, Array(body.utf8))) { transport in
            #expect(unavailable(transport)?.reason == "malformed reply")
        }
    }

    @Test(arguments: [500, 502, 404, 301])
    func errorStatusWithoutAProblemIsUnavailable(status: Int) throws {
        let page = HTTPResponse(
            status: status, headers: HTTPHeaders([("content-type", "text/html")]), body: Array("<h1>Bad Gateway</h1>".utf8))
        try withServer(answering: page) { transport in
            _ = unavailable(transport)
        }
    }

    @Test func problemWithAnUnknownCodeComesBackAsTheProblem() throws {
        try withServer(answering: .problem(Problem(status: 418, code: "teapot", detail: "short and stout"))) { transport in
            let thrown = #expect(throws: Problem.self) {
                try transport.call(EchoOperations.say, Fixtures.context(), SayRequest(text: "a"))
            }
            #expect(thrown?.status == 418)
            #expect(thrown?.code == "teapot")
            #expect(thrown?.detail == "short and stout")
        }
    }

    @Test func problemStatusIsTheReplysNotTheBodys() throws {
        // A proxy rewrote the status: the status every hop acted on wins.
        let response = HTTPResponse(
            status: 409, headers: HTTPHeaders([("content-type", Problem.contentType)]),
            body: Array(#"{"status":200,"code":"echo_busy","detail":"x"}"#.utf8))
        try withServer(answering: response) { transport in
            #expect(throws: EchoError(kind: .busy)) {
                try transport.call(EchoOperations.say, Fixtures.context(), SayRequest(text: "a"))
            }
        }
    }

    @Test(arguments: [
        Problem.unavailable("server_busy", "The server has too many requests waiting; retry shortly."),
        Problem(status: 502, code: "bad_gateway", detail: "upstream"),
    ])
    func busyServiceIsUnavailable(problem: Problem) throws {
        try withServer(answering: .problem(problem)) { transport in
            #expect(unavailable(transport)?.reason.contains(problem.code) == true)
        }
    }

    @Test func modulesOwn503StaysTheModulesError() throws {
        // A module may answer 503 itself (a processor down): that is its typed error, not an outage of the module.
        let own = Problem.unavailable("echo_busy", "busy")
        try withServer(answering: .problem(own)) { transport in
            #expect(throws: EchoError(kind: .busy)) {
                try transport.call(EchoOperations.say, Fixtures.context(), SayRequest(text: "a"))
            }
        }
    }

    @Test func moduleUnavailableReportedByAServiceComesBackTyped() throws {
        let reported = ModuleUnavailable(module: "inventory", reason: "connection refused")
        try withServer(answering: .problem(reported.problem)) { transport in
            let thrown = #expect(throws: ModuleUnavailable.self) {
                try transport.call(EchoOperations.say, Fixtures.context(), SayRequest(text: "a"))
            }
            #expect(thrown?.module == "inventory")
        }
    }
}
