import BanyanTestSupport
import Facade
import Foundation
import PaymentsAPI
import Platform
import Security
import Testing

/// A call never loops: one that reaches the monolith for a module it hosts
/// runs there, even when the tenant's flag (as this process reads it) says
/// the module's home is its service — as when a service still routing by
/// the old file calls the monolith during a flip.
@Suite(.serialized) struct InternalListenerLoopTests {
    @Test func aCallForAServiceHomedTenantIsServedLocallyNeverForwarded() throws {
        let capture = LogCapture()
        let app = try TestGateway(log: capture.log)
        let service = try ServiceProcess.start("payments-service", beside: app)
        defer { service.stop() }
        let run = Hex.encode(SecureRandom.bytes(4))
        let tenant = "moved-\(run)"
        try app.routePayments(of: [tenant], to: service.url)

        let context = CallContext(tenant: TenantID(tenant)!, userID: "till-1", role: .cashier, requestID: "loop-\(run)-1")
        let charged = try PaymentsClient(transport: app.internalTransport(module: PaymentsOperations.interface)).charge(
            context, ChargeRequest(idempotencyKey: "k-1", amountCents: 700, currency: "USD", method: .cash))
        #expect(charged.status == .captured)

        // A later call straight to the service, which it logs: its lines are
        // in the order it wrote them, so the charge would show before it.
        let marker = CallContext(tenant: TenantID(tenant)!, userID: "till-1", role: .cashier, requestID: "loop-\(run)-2")
        let direct = HTTPTransport(
            module: "payments", baseURL: service.url, tokens: ServiceTokenIssuer(secret: app.serviceSecret),
            decodeError: { PaymentsOperations.interface.decodeError($0) }, connectTimeout: 5, totalTimeout: 30)
        #expect(try PaymentsClient(transport: direct).payment(marker, idempotencyKey: "k-1")?.id == charged.id)
        let markerLogged = app.eventually(within: 10) {
            RequestLogTests.accessLines(service.log).contains { $0["request_id"] == .string(marker.requestID) }
        }
        #expect(markerLogged, "payments-service log:\n\(service.log)")

        let inService = RequestLogTests.accessLines(service.log).filter { $0["request_id"] == .string(context.requestID) }
        #expect(inService.isEmpty, "the service saw the charge: \(inService)")
        let inMonolith = capture.lines("request", within: 0).filter { $0["request_id"] == .string(context.requestID) }
        #expect(inMonolith.count == 1)
        #expect(inMonolith.first?["operation"] == .string("payments.charge"))
        #expect(inMonolith.first?["status"] == .int(200))
        #expect(try app.paymentRows(tenant: tenant) == 1)
    }
}
