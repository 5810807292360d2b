import BanyanTestSupport
import Facade
import HTTPServer
import Platform
import Testing

@Suite("ServiceHost logging")
struct ServiceHostLogTests {
    @Test func oneJSONLinePerRequest() throws {
        let capture = LogCapture()
        let service = try EchoService(log: capture.log)
        let context = Fixtures.context()
        #expect(throws: EchoError(kind: .busy)) {
            try service.transport().call(EchoOperations.fail, context, FailRequest(code: "echo_busy"))
        }
        _ = try? service.send("GET", "/health")
        service.shutdown()

        let logged = capture.lines("request", atLeast: 2)
        let call = try #require(logged.first { $0["path"] == .string("/operations/echo.fail") })
        #expect(call["method"] == .string("POST"))
        #expect(call["status"] == .int(409))
        #expect(call["request_id"] == .string(context.requestID))
        #expect(call["tenant"] == .string("demo-bistro"))
        #expect(call["operation"] == .string("echo.fail"))
        if case .double? = call["duration_ms"] {} else if case .int? = call["duration_ms"] {} else {
            Issue.record("duration_ms missing: \(call)")
        }
        let health = try #require(logged.first { $0["path"] == .string("/health") })
        #expect(health["status"] == .int(200))
        #expect(health["operation"] == nil)
    }

    /// The caller's id is kept by the gateway's rule, else replaced by one of ours.
    @Test(arguments: [("gw-7f3a:9.x_y", true), ("has space", false), (String(repeating: "i", count: 129), false)])
    func theCallersRequestIDIsKeptWhenSane(id: String, kept: Bool) throws {
        try withEchoService { service in
            let response = try service.send("GET", "/health", headers: [("x-request-id", id)])
            #expect(response.status == 200)
            let answered = try #require(response.header("x-request-id"))
            #expect((answered == id) == kept)
            #expect(RequestID.isAcceptable(answered))
        }
    }
}
