import BanyanTestSupport
import Foundation
import Gateway
import HTTPServer
import InventoryAPI
import OrdersAPI
import Payments
import Testing

/// One restaurant selling a stocked item by card through a real gateway,
/// with its payments in-process or routed to a real `payments-service`
/// child process, and a `ScriptedProcessor` behind both: the stage of the
/// checkout-saga tests.
///
/// Recovery and reconciliation run only when a test asks
/// (`POST /admin/recovery/run`, `/admin/reconciliation/run`): their
/// intervals are an hour, and recovery's grace is 0, so a checkout held on
/// an unknown outcome can be taken over as soon as its claim runs out.
struct SagaRig {
    enum Path: String, CaseIterable, Sendable, CustomTestStringConvertible {
        case inProcess = "in-process"
        case service
        var testDescription: String { rawValue }
    }

    static let stock = 5

    let path: Path
    let app: TestGateway
    let processor: ScriptedProcessor
    let service: ServiceProcess?
    let tenant: String
    let token: String
    let item: String

    /// - Parameters:
    ///   - processorTimeout: how long Payments waits for the processor, on either path.
    ///   - requestTimeout: the gateway's request deadline.
    ///   - serviceTimeout: how long the gateway waits for payments-service.
    init(
        path: Path, processorTimeout: Double = 8, requestTimeout: Double = 10, serviceTimeout: Double? = nil,
        reconciliationGrace: Double = 3600
    ) throws {
        self.path = path
        processor = try ScriptedProcessor()
        app = try TestGateway(
            cardProcessor: HTTPCardProcessor(baseURL: processor.url, timeout: processorTimeout),
            requestTimeout: requestTimeout, serviceTimeout: serviceTimeout,
            recovery: CheckoutRecovery.Options(grace: 0, interval: 3600),
            reconciliation: Reconciliation.Options(interval: 3600, grace: reconciliationGrace))
        (tenant, token) = try app.tenantWithAdmin("saga")
        item = try app.addMenuItem(tenant: tenant, token: token, name: "Risotto", priceCents: 1800, stock: SagaRig.stock)
        switch path {
        case .inProcess:
            service = nil
        case .service:
            let service = try ServiceProcess.start(
                "payments-service", beside: app,
                environment: [
                    "PAYMENT_GATEWAY_URL": processor.url,
                    "BANYAN_PROCESSOR_TIMEOUT_MS": String(Int(processorTimeout * 1000)),
                ])
            self.service = service
            try app.routePayments(of: [tenant], to: service.url)
        }
    }

    /// Stops the service first (it may be waiting on the processor), then the processor.
    func stop() {
        service?.stop()
        processor.stop()
    }

    /// The order as GET /api/v1/orders/{id} shows it.
    func order(_ id: String) throws -> Order {
        try app.call("GET", "/api/v1/orders/\(id)", tenant: tenant, token: token).decoded()
    }

    func stock() throws -> StockLevel {
        try app.stock(tenant: tenant, token: token, item: item)
    }

    func place(key: String, cardToken: String = "tok_visa", waiting seconds: Double = 30) throws -> TestGateway.Reply {
        try app.placeCardOrder(
            tenant: tenant, token: token, item: item, cardToken: cardToken, idempotencyKey: key, waiting: seconds)
    }

    /// For failure messages: what the service printed.
    var serviceLog: String { service.map { "\n\($0.name) log:\n\($0.log.suffix(4000))" } ?? "" }
}

/// Work on its own thread (HTTP calls block), waited for with a deadline.
final class Background<Value>: @unchecked Sendable {
    // @unchecked: `result` is written once before `done` is signalled and read only after waiting on it.
    private let done = DispatchSemaphore(value: 0)
    private var result: Result<Value, any Error>?

    init(_ work: @escaping @Sendable () throws -> Value) {
        Thread.detachNewThread { [self] in
            result = Result { try work() }
            done.signal()
        }
    }

    func value(within seconds: Double) throws -> Value {
        guard done.wait(timeout: .now() + seconds) == .success else {
            throw TestFailure("background work did not finish within \(seconds) s")
        }
        return try result!.get()
    }
}
