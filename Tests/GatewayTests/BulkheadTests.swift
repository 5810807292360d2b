import Foundation
import Testing

/// One tenant's slow service must not slow anyone else down. Tenant B's
/// payments are routed to a service that holds every call; the gateway lets
/// at most `maxInFlight` of them wait (the bulkhead) and answers the rest
/// 503 `module_busy` at once, so its workers stay free for tenant A, whose
/// payments are in-process.
@Suite(.serialized) struct BulkheadTests {
    static let maxInFlight = 4
    let app: TestGateway
    init() throws { app = try TestGateway(maxServiceCallsInFlight: Self.maxInFlight) }

    @Test func aSlowServiceGetsItsOwnCallersBusyAnswersAndOtherTenantsKeepTheirLatency() throws {
        let slow = try SlowServiceStub(hold: 2)
        defer { slow.stop() }
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

        var latencies: [Double] = []
        var failures: [String] = []
        // Bounded, so a gateway whose workers all wait on B fails in seconds, not minutes.
        let streamEnds = Date(timeIntervalSinceNow: 20)
        for _ in 0..<200 where Date() < streamEnds {
            let started = DispatchTime.now().uptimeNanoseconds
            let reply = try app.call(
                "GET", "/api/v1/payments?order_id=\(UUID().uuidString.lowercased())", tenant: a, token: aToken)
            latencies.append(Double(DispatchTime.now().uptimeNanoseconds - started) / 1e6)
            if reply.status != 200 { failures.append("\(reply.status) \(reply.code ?? "")") }
        }
        callers.stop()
        slow.release()

        #expect(
            latencies.count == 200 && failures.isEmpty,
            "tenant A: \(latencies.count) requests in 20 s, failed: \(failures.prefix(5))")
        // Nearest rank: the 198th of 200.
        let sorted = latencies.sorted()
        let p50 = sorted[sorted.count / 2], worst = sorted.last!
        let p99 = sorted[max(0, (sorted.count * 99 + 99) / 100 - 1)]
        #expect(
            p99 < 50, "tenant A: p50 \(ms(p50)) ms, p99 \(ms(p99)) ms, max \(ms(worst)) ms over \(sorted.count) requests")

        let results = callers.results
        let busy = results.filter { $0.code == "module_busy" }
        let slowest = busy.map(\.milliseconds).max() ?? 0
        #expect(slow.maxInFlight == Self.maxInFlight, "the slow service held \(slow.maxInFlight) calls at once")
        #expect(busy.count > 50, "too few refusals to prove anything: \(busy.count) of \(results.count)")
        #expect(slowest < 100, "a module_busy answer took \(ms(slowest)) ms")
        #expect(busy.allSatisfy { $0.status == 503 && $0.reached == false })
        // Whatever was let through waited on the service, and only that.
        #expect(results.allSatisfy { $0.code == "module_busy" || $0.code == "payment_not_found" })
        #expect(results.filter { $0.code == "payment_not_found" }.allSatisfy { $0.milliseconds > 1500 })
    }

    @Test func aCheckoutTheBulkheadRefusesIsUndoneBeforeTheAnswer() throws {
        let slow = try SlowServiceStub(hold: 8)
        defer { slow.stop() }
        let (b, bToken) = try app.tenantWithAdmin("refused")
        let item = try app.addMenuItem(tenant: b, token: bToken, name: "Pie", priceCents: 450, stock: 5)
        try app.routePayments(of: [b], to: slow.url)

        // Exactly enough slow calls to fill the bulkhead, then a checkout.
        let fillers = TenantCallers(app: app, tenant: b, token: bToken, once: true)
        fillers.start(threads: Self.maxInFlight)
        defer { slow.release() }
        #expect(app.eventually(within: 5) { slow.inFlight == Self.maxInFlight })

        let started = Date()
        let refused = try app.placeOrder(tenant: b, token: bToken, items: [(item, 2)], method: "card", cardToken: "tok_visa")
        let elapsed = Date().timeIntervalSince(started)
        #expect(refused.status == 503)
        #expect(refused.code == "module_busy")
        #expect(refused.json["reached"] as? Bool == false)
        #expect(refused.json["module"] as? String == "payments")
        #expect(refused.header("retry-after") == "1")
        #expect(elapsed < 0.5, "answered after \(elapsed) s")

        // Undone before the answer: stock back, the order cancelled, nothing sent.
        let stock = try app.call("GET", "/api/v1/inventory/\(item)", tenant: b, token: bToken).json
        #expect(stock["quantity"] as? Int == 5)
        #expect(stock["reserved"] as? Int == 0)
        let orders = try app.call("GET", "/api/v1/orders", tenant: b, token: bToken).json["orders"] as? [[String: Any]] ?? []
        #expect(orders.map { $0["status"] as? String } == ["cancelled"])
        #expect(orders.first?["failure_code"] as? String == "module_unavailable")
        #expect(!slow.operations.contains("payments.charge"), "the refused charge reached the service: \(slow.operations)")

        slow.release()
        #expect(fillers.stop(within: 10))
        #expect(fillers.results.count == Self.maxInFlight)
        #expect(fillers.results.allSatisfy { $0.code == "payment_not_found" })
        #expect(slow.maxInFlight == Self.maxInFlight)
    }

    private func ms(_ value: Double) -> String { String(format: "%.1f", value) }
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
        var milliseconds: Double
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
                    let started = DispatchTime.now().uptimeNanoseconds
                    let result: Result
                    do {
                        let reply = try app.call(
                            "GET", "/api/v1/payments/\(UUID().uuidString.lowercased())", tenant: tenant, token: token)
                        result = Result(
                            status: reply.status, code: reply.code, reached: reply.json["reached"] as? Bool,
                            milliseconds: Double(DispatchTime.now().uptimeNanoseconds - started) / 1e6)
                    } catch {
                        result = Result(status: 0, code: "\(error)", reached: nil, milliseconds: 0)
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
