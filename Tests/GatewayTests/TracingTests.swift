import BanyanTestSupport
import Foundation
import HTTPServer
import Platform
import Security
import Testing

/// A W3C `traceparent` accepted or started at the gateway, carried on the
/// module calls it makes, and logged as `trace_id` by the gateway and by
/// the service that served the call: one request followed across processes.
@Suite struct TracingTests {
    @Test func aCallersTraceIsFollowedThroughTheGatewayAndTheServiceItCalled() throws {
        let capture = LogCapture()
        let app = try TestGateway(log: capture.log)
        let service = try ServiceProcess.start("payments-service", beside: app)
        defer { service.stop() }
        let (tenant, token) = try app.tenantWithAdmin("trace")
        try app.routePayments(of: [tenant], to: service.url)

        let traceID = Hex.encode(SecureRandom.bytes(16))
        let traceparent = "00-\(traceID)-00f067aa0ba902b7-01"
        let id = "trace:\(UUID().uuidString.lowercased())"
        let reply = try app.call(
            "GET", "/api/v1/payments?order_id=o-1", tenant: tenant, token: token,
            headers: [("x-request-id", id), ("traceparent", traceparent)])
        #expect(reply.status == 200, "\(reply.code ?? "")")
        #expect(reply.header("x-banyan-route") == "payments=service")
        #expect(reply.header("traceparent") == traceparent)

        let atGateway = try #require(capture.lines("request").first { $0["request_id"] == .string(id) })
        #expect(atGateway["trace_id"] == .string(traceID))
        var inService: [String: JSONValue]?
        _ = app.eventually(within: 5) {
            inService = service.requests.first { $0["request_id"] == .string(id) }
            return inService != nil
        }
        let served = try #require(inService, "payments-service log:\n\(service.log)")
        #expect(served["trace_id"] == .string(traceID))
        #expect(served["operation"] == .string("payments.payments_of_order"))
    }

    @Test(arguments: [nil, "00-not-a-trace-01", "00-00000000000000000000000000000000-00f067aa0ba902b7-01"])
    func aRequestWithoutAValidTraceStartsOneAtTheEdge(_ sent: String?) throws {
        let capture = LogCapture()
        let app = try TestGateway(log: capture.log)
        let id = "trace-start:\(UUID().uuidString.lowercased())"
        var headers = [("x-request-id", id)]
        if let sent { headers.append(("traceparent", sent)) }
        let reply = try app.call("GET", "/health", headers: headers)
        #expect(reply.status == 200)

        let started = try #require(reply.header("traceparent").flatMap(TraceParent.init))
        #expect(started.description != sent)
        #expect(started.flags == "01")
        let line = try #require(capture.lines("request").first { $0["request_id"] == .string(id) })
        #expect(line["trace_id"] == .string(started.traceID))
    }

    @Test func twoRequestsWithoutTracesGetDifferentOnes() throws {
        let app = try TestGateway()
        let first = try #require(try app.call("GET", "/health").header("traceparent").flatMap(TraceParent.init))
        let second = try #require(try app.call("GET", "/health").header("traceparent").flatMap(TraceParent.init))
        #expect(first.traceID != second.traceID)
        #expect(first.parentID != second.parentID)
    }
}
