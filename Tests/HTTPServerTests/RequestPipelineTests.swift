import BanyanTestSupport
import HTTPServer
import Platform
import Testing

/// The part of answering a request the gateway and every service share:
/// driven in process, since what it does never touches a socket.
@Suite struct RequestPipelineTests {
    struct Crash: Error {}
    struct Outage: Error {}

    func request(_ path: String = "/x", headers: [(name: String, value: String)] = []) -> HTTPRequest {
        HTTPRequest(method: "GET", target: path, path: path, headers: HTTPHeaders(headers))
    }

    @Test(arguments: ["abc-123", "A.b:c_D-9", String(repeating: "r", count: 128), "0"])
    func aSaneRequestIDFromTheCallerIsKept(id: String) {
        let response = RequestPipeline(log: .discard).respond(to: request(headers: [("X-Request-ID", id)])) { entry in
            #expect(entry.requestID == id)
            return HTTPResponse(status: 204)
        }
        #expect(response.headers["x-request-id"] == id)
    }

    @Test(arguments: [
        "", String(repeating: "r", count: 129), "has space", #"quote""#, "back\\slash", "new\nline", "ünï", "a/b",
        "{\"msg\":\"forged\"}",
    ])
    func anyOtherRequestIDIsReplacedByOneOfOurs(id: String) {
        let pipeline = RequestPipeline(log: .discard)
        let first = pipeline.respond(to: request(headers: [("x-request-id", id)])) { _ in HTTPResponse(status: 204) }
        let second = pipeline.respond(to: request()) { _ in HTTPResponse(status: 204) }
        let minted = [first.headers["x-request-id"], second.headers["x-request-id"]].compactMap { $0 }
        #expect(minted.count == 2)
        #expect(minted[0] != minted[1])
        for id in minted {
            let parts = id.split(separator: "-")
            #expect(parts.count == 2 && parts[0].count == 12, "\(id)")
            #expect(RequestID.isAcceptable(id), "\(id)")
        }
    }

    @Test func aThrownProblemIsTheResponseWithTheRequestIDAndRetryAfter() {
        let refusal = Problem(
            status: 503, code: "module_busy", detail: "Busy.", extensions: ["retry_after": .int(3)])
        let response = RequestPipeline(log: .discard).respond(to: request(headers: [("x-request-id", "r-1")])) { _ in
            throw refusal
        }
        #expect(response.status == 503)
        #expect(response.headers["content-type"] == Problem.contentType)
        #expect(response.body == refusal.json)
        #expect(response.headers["retry-after"] == "3")
        #expect(response.headers["x-request-id"] == "r-1")
    }

    @Test func anUnknownErrorIsALogged500NamingTheRequest() {
        let capture = LogCapture()
        let response = RequestPipeline(log: capture.log).respond(to: request(headers: [("x-request-id", "r-500")])) { _ in
            throw Crash()
        }
        #expect(response.status == 500)
        #expect(response.headers["retry-after"] == nil)
        #expect(String(decoding: response.body, as: UTF8.self).contains(#""code":"internal_error""#))
        let failure = capture.lines("request failed").first
        #expect(failure?["level"] == .string("error"))
        #expect(failure?["request_id"] == .string("r-500"))
        #expect(failure?["code"] == .string("internal_error"))
        #expect(failure?["error"] == .string("Crash()"))
    }

    @Test func theHookAnswersErrorsOnlyItKnows() {
        let capture = LogCapture()
        let pipeline = RequestPipeline(log: capture.log) { error in
            error is Outage ? .unavailable("database_unavailable", "Down.") : nil
        }
        let outage = pipeline.respond(to: request()) { _ in throw Outage() }
        let crash = pipeline.respond(to: request()) { _ in throw Crash() }
        let typed = pipeline.respond(to: request()) { _ in throw AccessDenied(needed: .manager) }
        #expect(outage.status == 503)
        #expect(crash.status == 500)
        #expect(typed.status == 403)
        // A typed error is an answer, not a failure of ours: only the other two are logged.
        let failures = capture.lines("request failed", atLeast: 2)
        #expect(failures.map(\.["code"]) == [.string("database_unavailable"), .string("internal_error")])
    }

    @Test func oneAccessLogLineWithTheSameFieldsWhateverHappened() throws {
        let capture = LogCapture()
        let pipeline = RequestPipeline(log: capture.log)
        let long = String(repeating: "t", count: 100)
        _ = pipeline.respond(to: request("/anonymous", headers: [("x-tenant-id", long)])) { _ in throw Crash() }
        _ = pipeline.respond(to: request("/served", headers: [("x-request-id", "r-ok"), ("x-tenant-id", "raw")])) { entry in
            entry.tenant = "demo-cafe"
            entry.operation = "payments.charge"
            return HTTPResponse(status: 201)
        }
        let lines = capture.lines("request", atLeast: 2)
        try #require(lines.count == 2)

        let anonymous = try #require(lines.first { $0["path"] == .string("/anonymous") })
        #expect(Set(anonymous.keys) == RequestPipelineTests.accessLogFields)
        #expect(anonymous["status"] == .int(500))
        // An unvalidated tenant header is caller input: shortened.
        #expect(anonymous["tenant"] == .string(String(repeating: "t", count: 64)))

        let served = try #require(lines.first { $0["path"] == .string("/served") })
        #expect(Set(served.keys) == RequestPipelineTests.accessLogFields.union(["operation"]))
        #expect(served["method"] == .string("GET"))
        #expect(served["status"] == .int(201))
        #expect(served["request_id"] == .string("r-ok"))
        #expect(served["tenant"] == .string("demo-cafe"))
        #expect(served["operation"] == .string("payments.charge"))
        if case .double? = served["duration_ms"] {} else if case .int? = served["duration_ms"] {} else {
            Issue.record("duration_ms is not a number: \(served)")
        }
    }

    /// What every access-log line has, at the gateway and in every service.
    static let accessLogFields: Set<String> = [
        "ts", "level", "msg", "method", "path", "status", "duration_ms", "request_id", "tenant",
    ]
}
