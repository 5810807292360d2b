import BanyanTestSupport
import Bootstrap
import Facade
import Flags
import Foundation
import InventoryModule
import PaymentsAPI
import Platform
import Routing
import Security
import Testing

/// A service routes its calls to other modules like the gateway does: by
/// the tenant's home in the same flags.json. Here the host inventory-service
/// gives its module (built as `ServiceMain` builds it, in this process)
/// calls Payments for two tenants: one homed in the monolith, reached at the
/// gateway's internal listener, and one homed in a real payments-service.
@Suite(.serialized) struct ServiceSideRoutingTests {
    @Test func eachTenantsCallRunsOnceAtItsHomeAndAFlipMovesTheNextOne() throws {
        let capture = LogCapture()
        let app = try TestGateway(log: capture.log)
        let service = try ServiceProcess.start("payments-service", beside: app)
        defer { service.stop() }
        let run = Hex.encode(SecureRandom.bytes(4))
        let bistro = "bistro-\(run)", cafe = "cafe-\(run)"
        try app.routePayments(of: [cafe], to: service.url)

        let flags = try FlagsStore(path: app.flagsPath, log: .discard)
        let host = ServiceMain.moduleHost(
            for: InventoryModule.descriptor, database: app.database, environment: HostEnvironment(),
            router: ModuleRouter(
                flags: flags, calls: ServiceCalls(secret: app.serviceSecret, connectTimeout: 5, totalTimeout: 30),
                placement: .service(module: "inventory"), monolithURL: app.internalURL))
        let payments = PaymentsClient(transport: host.transport(to: PaymentsOperations.interface))

        func charge(_ tenant: String, key: String, requestID: String) throws -> Payment {
            let context = CallContext(
                tenant: TenantID(tenant)!, userID: "till-1", role: .cashier, requestID: requestID)
            return try payments.charge(
                context, ChargeRequest(idempotencyKey: key, amountCents: 450, currency: "USD", method: .cash))
        }
        /// The access-log lines of `requestID` in the gateway (its internal listener) and in the service.
        func served(_ requestID: String) -> (monolith: [[String: JSONValue]], service: [[String: JSONValue]]) {
            let id = JSONValue.string(requestID)
            return (
                capture.lines("request", within: 0).filter { $0["request_id"] == id },
                RequestLogTests.accessLines(service.log).filter { $0["request_id"] == id }
            )
        }
        /// Waits, bounded, for the service to log `requestID`: a child's log is written a moment later.
        func serviceLogged(_ requestID: String) -> Bool {
            app.eventually(within: 10) { !served(requestID).service.isEmpty }
        }

        let first = "route-\(run)-1", second = "route-\(run)-2", third = "route-\(run)-3"
        #expect(try charge(bistro, key: "k-1", requestID: first).status == .captured)
        #expect(try charge(cafe, key: "k-1", requestID: second).status == .captured)
        #expect(serviceLogged(second), "payments-service log:\n\(service.log)")

        // Each call ran exactly once, at its tenant's home. The service's lines
        // are in the order it wrote them, so once it logged the second call it
        // would have logged the first, had the first reached it.
        let bistroCall = served(first), cafeCall = served(second)
        #expect(bistroCall.monolith.map(\.operationAndStatus) == ["payments.charge 200"])
        #expect(bistroCall.monolith.first?["path"] == .string("/operations/payments.charge"))
        #expect(bistroCall.service.isEmpty)
        #expect(cafeCall.service.map(\.operationAndStatus) == ["payments.charge 200"])
        #expect(cafeCall.monolith.isEmpty)
        #expect(try app.paymentRows(tenant: bistro) == 1)
        #expect(try app.paymentRows(tenant: cafe) == 1)

        // The bistro moves to the service: this process's next call follows
        // as soon as it has read the file.
        try app.routePayments(of: [cafe, bistro], to: service.url)
        _ = flags.reloadNow()
        #expect(flags.route(module: "payments", tenant: bistro) == .service)
        #expect(try charge(bistro, key: "k-2", requestID: third).status == .captured)
        #expect(serviceLogged(third), "payments-service log:\n\(service.log)")
        let moved = served(third)
        #expect(moved.service.map(\.operationAndStatus) == ["payments.charge 200"])
        #expect(moved.monolith.isEmpty)
        #expect(try app.paymentRows(tenant: bistro) == 2)
        #expect(try app.paymentRows(tenant: bistro, key: "k-2") == 1)
        #expect(try app.paymentRows(tenant: cafe) == 1)
    }
}

extension [String: JSONValue] {
    /// `payments.charge 200`: what an access-log line says was run, and how it ended.
    fileprivate var operationAndStatus: String {
        var operation = "-", status = "-"
        if case .string(let name)? = self["operation"] { operation = name }
        if case .int(let code)? = self["status"] { status = String(code) }
        return "\(operation) \(status)"
    }
}
