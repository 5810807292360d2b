import BanyanTestSupport
import Foundation
import Platform
import Testing

/// The gateway's access log, and one request followed by its id through the
/// gateway and the service it called.
@Suite struct RequestLogTests {
    @Test func oneJSONLinePerRequestWithItsFields() throws {
        let capture = LogCapture()
        let app = try TestGateway(log: capture.log)
        _ = try app.call("GET", "/health", headers: [("x-request-id", "log-test-1")])
        _ = try app.call("GET", "/api/v1/auth/me", tenant: "some-cafe", headers: [("x-request-id", "log-test-2")])

        let lines = capture.lines("request", atLeast: 2).filter {
            [.string("log-test-1"), .string("log-test-2")].contains($0["request_id"])
        }
        #expect(lines.count == 2)
        let health = try #require(lines.first { $0["request_id"] == .string("log-test-1") })
        #expect(health["method"] == .string("GET"))
        #expect(health["path"] == .string("/health"))
        #expect(health["status"] == .int(200))
        #expect(health["tenant"] == .string(""))
        if case .double? = health["duration_ms"] {} else if case .int? = health["duration_ms"] {} else {
            Issue.record("duration_ms is not a number: \(health)")
        }
        let me = try #require(lines.first { $0["request_id"] == .string("log-test-2") })
        #expect(me["status"] == .int(401))
        #expect(me["tenant"] == .string("some-cafe"))
        // The gateway runs no facade operation of its own: no `operation` field.
        #expect(me["operation"] == nil)
    }

    /// The gateway passes its request id on as `x-request-id`, and a service
    /// keeps an id by the same rule the gateway does, so one id finds a
    /// request in every log it touched — in lines of the same shape.
    @Test func oneRequestIsFollowedByItsIDThroughTheGatewayAndTheServiceItCalled() throws {
        let capture = LogCapture()
        let app = try TestGateway(log: capture.log)
        let service = try ServiceProcess.start("payments-service", beside: app)
        defer { service.stop() }
        let (tenant, token) = try app.tenantWithAdmin("follow")
        try app.routePayments(of: [tenant], to: service.url)

        let id = "follow:\(UUID().uuidString.lowercased()).1"
        let reply = try app.call(
            "GET", "/api/v1/payments?order_id=o-1", tenant: tenant, token: token, headers: [("x-request-id", id)])
        #expect(reply.status == 200, "\(reply.code ?? "")")
        #expect(reply.header("x-request-id") == id)
        #expect(reply.header("x-banyan-route") == "payments=service")

        let atGateway = try #require(capture.lines("request").first { $0["request_id"] == .string(id) })
        var inService: [String: JSONValue]?
        _ = app.eventually(within: 5) {
            inService = RequestLogTests.accessLines(service.log).first { $0["request_id"] == .string(id) }
            return inService != nil
        }
        let served = try #require(inService, "payments-service log:\n\(service.log)")

        #expect(atGateway["tenant"] == .string(tenant))
        #expect(served["tenant"] == .string(tenant))
        #expect(served["operation"] == .string("payments.payments_of_order"))
        #expect(served["status"] == .int(200))
        // The same line on both sides; the service adds the operation it ran.
        #expect(Set(served.keys) == Set(atGateway.keys).union(["operation"]))
    }

    /// The access-log lines in a child's output.
    static func accessLines(_ output: String) -> [[String: JSONValue]] {
        output.split(separator: "\n").compactMap { line in
            guard case .object(let members)? = try? JSONDecoder().decode(JSONValue.self, from: Data(line.utf8)),
                members["msg"] == .string("request")
            else { return nil }
            return members
        }
    }
}
