import Foundation
import InventoryAPI
import OrdersAPI
import Testing

/// One tenant's slow service must not slow anyone else down. Tenant B's
/// payments are routed to a service that holds every call; the gateway lets
/// at most `maxInFlight` of them wait (the bulkhead) and answers the rest
/// 503 `module_busy` at once, so its workers stay free for tenant A, whose
/// payments are in-process.
@Suite(.serialized) final class BulkheadTests {
    static let maxInFlight = 4
    /// Longer than any of these tests runs: the stub answers only when released.
    static let hold: Double = 40
    let app: TestGateway
    /// Where tenant B's payments go: it answers nothing until released (the
    /// gateway waits as long), so whatever completes before the release did
    /// not wait on it.
    let slow: SlowServiceStub

    init() throws {
        app = try TestGateway(maxServiceCallsInFlight: Self.maxInFlight, serviceTimeout: Self.hold)
        slow = try SlowServiceStub(hold: Self.hold)
    }

    deinit { slow.stop() }

    @Test func aSlowServiceGetsItsOwnCallersBusyAnswersAndOtherTenantsAreNotHeldUp() throws {
        let (a, aToken) = try app.tenantWithAdmin("steady")
        let (b, bToken) = try app.tenantWithAdmin("slowed")
        try app.routePayments(of: [b], to: slow.url)

        // More of tenant B's callers than the gateway has workers (16): without
        // the bulkhead they would all be waiting on the slow service.
        let callers = TenantCallers(app: app, tenant: b, token: bToken)
        callers.start(threads: 24)
        defer { callers.stop() }
        #expect(
            app.eventually(within: 5) { slow.inFlight == Self.maxInFlight },
            "the slow service never held \(Self.maxInFlight) calls: \(slow.inFlight)")

        // Tenant A is served in full while every call B got through is still
        // held. Without the bulkhead, A's requests would queue behind B's
        // for the whole hold. (How fast A is served is `scripts/bench`'s question.)
        var failures: [String] = []
        var served = 0
        let streamEnds = Date(timeIntervalSinceNow: Self.hold / 2)
        for _ in 0..<200 where Date() < streamEnds {
            let reply = try app.call(
                "GET", "/api/v1/payments?order_id=\(UUID().uuidString.lowercased())", tenant: a, token: aToken)
            served += 1
            if reply.status != 200 { failures.append("\(reply.status) \(reply.code ?? "")") }
        }
        let heldThroughout = slow.answered == 0 && slow.inFlight == Self.maxInFlight
        // Everything B heard so far came back without waiting for a slot.
        let refusedMeanwhile = callers.results
        callers.stop(within: 0)  // no new calls; the held ones end at the release
        slow.release()
        #expect(callers.stop(), "tenant B's callers did not finish after the release")

        #expect(served == 200 && failures.isEmpty, "tenant A: \(served) requests served, failed: \(failures.prefix(5))")
        #expect(heldThroughout, "the slow service answered \(slow.answered) calls during tenant A's stream")
        #expect(slow.maxInFlight == Self.maxInFlight, "the slow service held \(slow.maxInFlight) calls at once")
        #expect(
            refusedMeanwhile.count > 50, "too few refusals to prove anything: \(refusedMeanwhile.count)")
        #expect(refusedMeanwhile.allSatisfy { $0.status == 503 && $0.code == "module_busy" && $0.reached == false })
        // Whatever was let through waited on the service until it answered, and only that.
        let results = callers.results
        #expect(results.allSatisfy { $0.code == "module_busy" || $0.code == "payment_not_found" })
    }

    @Test func aCheckoutTheBulkheadRefusesIsUndoneBeforeTheAnswer() throws {
        let (b, bToken) = try app.tenantWithAdmin("refused")
        let item = try app.addMenuItem(tenant: b, token: bToken, name: "Pie", priceCents: 450, stock: 5)
        try app.routePayments(of: [b], to: slow.url)

        // Exactly enough slow calls to fill the bulkhead, then a checkout.
        let fillers = TenantCallers(app: app, tenant: b, token: bToken, once: true)
        fillers.start(threads: Self.maxInFlight)
        defer { slow.release() }
        #expect(app.eventually(within: 5) { slow.inFlight == Self.maxInFlight })

        let refused = try app.placeOrder(tenant: b, token: bToken, items: [(item, 2)], method: "card", cardToken: "tok_visa")
        // At once: answered while every slot is still held, none released.
        #expect(slow.answered == 0 && slow.inFlight == Self.maxInFlight)
        #expect(refused.status == 503)
        #expect(refused.code == "module_busy")
        #expect(refused.json["reached"] as? Bool == false)
        #expect(refused.json["module"] as? String == "payments")
        #expect(refused.header("retry-after") == "1")

        // Undone before the answer: stock back, the order cancelled, nothing sent.
        let stock = try app.stock(tenant: b, token: bToken, item: item)
        #expect(stock.quantity == 5)
        #expect(stock.reserved == 0)
        let orders = try app.call("GET", "/api/v1/orders", tenant: b, token: bToken).decoded(OrderPage.self).orders
        #expect(orders.map(\.status) == [.cancelled])
        #expect(orders.first?.failureCode == "module_unavailable")
        #expect(!slow.operations.contains("payments.charge"), "the refused charge reached the service: \(slow.operations)")

        slow.release()
        #expect(fillers.stop(within: 10))
        #expect(fillers.results.count == Self.maxInFlight)
        #expect(fillers.results.allSatisfy { $0.code == "payment_not_found" })
        #expect(slow.maxInFlight == Self.maxInFlight)
    }

}

/// Threads calling GET /api/v1/payments/{id} for one tenant: once each, or
/// until stopped. A caller answered `module_busy` pauses 25 ms before its
/// next call, as a terminal backs off; the slow calls keep coming throughout.
final class TenantCallers: @unchecked Sendable {
    // @unchecked: `stopping` and `stored` are only touched under `lock`.
    struct Result {
        var status: Int
        var code: String?
        var reached: Bool?
    }

    private let app: TestGateway
    private let tenant: String
    private let token: String
    private let once: Bool
    private let lock = NSLock()
    private var stopping = false
    private var stored: [Result] = []
    private let group = DispatchGroup()

    init(app: TestGateway, tenant: String, token: String, once: Bool = false) {
        self.app = app
        self.tenant = tenant
        self.token = token
        self.once = once
    }

    func start(threads: Int) {
        for _ in 0..<threads {
            group.enter()
            // Real threads: these block on sockets.
            Thread { [self] in
                defer { group.leave() }
                repeat {
                    let result: Result
                    do {
                        let reply = try app.call(
                            "GET", "/api/v1/payments/\(UUID().uuidString.lowercased())", tenant: tenant, token: token)
                        result = Result(status: reply.status, code: reply.code, reached: reply.json["reached"] as? Bool)
                    } catch {
                        result = Result(status: 0, code: "\(error)", reached: nil)
                    }
                    lock.withLock { stored.append(result) }
                    if result.code == "module_busy" { usleep(25_000) }
                } while !once && !isStopping
            }.start()
        }
    }

    private var isStopping: Bool { lock.withLock { stopping } }

    /// Asks the threads to stop after their current call; true when all did within `seconds`.
    @discardableResult
    func stop(within seconds: Double = 10) -> Bool {
        lock.withLock { stopping = true }
        return group.wait(timeout: .now() + seconds) == .success
    }

    var results: [Result] { lock.withLock { stored } }
}
