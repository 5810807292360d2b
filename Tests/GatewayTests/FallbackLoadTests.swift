import BanyanTestSupport
import Foundation
import Gateway
import OrdersAPI
import Testing

/// Issue 11's acceptance: a restaurant's payments homed in a real
/// payments-service, with `"fallback": "in-process"`; the service is killed
/// (SIGKILL) while its tills check out. No checkout fails: those after the
/// kill are charged in-process — first after a refused connection, then,
/// once the breaker opened, without trying the dead service at all — and the
/// few whose charge was on the wire at the kill, the only ones whose
/// outcome was unknown, are held (202) and settle to one payment each.
@Suite(.serialized) struct FallbackLoadTests {
    static let threads = 4

    @Test func killingThePaymentsServiceUnderCheckoutLoadFailsNoCheckout() throws {
        let app = try TestGateway(recovery: CheckoutRecovery.Options(grace: 0, interval: 3600))
        let service = try ServiceProcess.start("payments-service", beside: app)
        defer { service.stop() }
        let (tenant, token) = try app.tenantWithAdmin("fallback")
        let initialStock = 100_000
        let item = try app.addMenuItem(tenant: tenant, token: token, name: "Flat white", priceCents: 350, stock: initialStock)
        // open_seconds far longer than the test: no half-open probe goes to the dead port.
        try app.route(
            "payments", of: [tenant], to: service.url, fallback: "in-process",
            breaker: ["failures": 3, "open_seconds": 600])

        let load = CheckoutLoad(app: app, tenant: tenant, token: token, item: item)
        load.start(threads: Self.threads)
        var stopped = false
        defer { if !stopped { _ = load.stop(within: 60) } }
        let servedThere = app.eventually(within: 30) {
            load.results.filter { Hops($0.route).entries.contains("payments=service") && $0.status == 201 }.count >= 40
        }
        #expect(servedThere, "the service charged too few checkouts before the kill")

        let beforeKill = load.results.count
        service.child.kill()
        let opened = app.eventually(within: 30) {
            app.gateway.breakers.snapshot(app.gateway.flags.current).first { $0.module == "payments" }?.state == "open"
        }
        #expect(opened, "the breaker did not open after the kill")
        let openedAt = load.results.count
        // Each thread finishes at most one checkout begun before the breaker opened; then some more.
        let ranAfter = app.eventually(within: 30) { load.results.count >= openedAt + 10 * Self.threads }
        stopped = true
        #expect(load.stop(within: 60), "checkout threads still running")
        #expect(ranAfter, "too few checkouts after the breaker opened")

        let results = load.results
        // Zero failed requests: every checkout created its order (201) or, with its outcome unknown, held it (202).
        let failed = results.filter { $0.status != 201 && $0.status != 202 }
        #expect(failed.isEmpty, "failed checkouts: \(failed.prefix(10).map { "\($0.status) \($0.code ?? "")" })")
        let held = results.filter { $0.status == 202 }
        // Only a charge on the wire at the kill can have an unknown outcome: one per thread at most, and only then.
        #expect(held.count <= Self.threads, "\(held.count) checkouts held")
        #expect(
            results.enumerated().allSatisfy { $0.element.status != 202 || $0.offset >= beforeKill },
            "a checkout held before the kill")

        // Once the breaker opened, only the checkouts then in flight (one per thread at most) may
        // have tried the service; every later one went straight to the fallback.
        let afterOpen = results.dropFirst(openedAt)
        let triedService = afterOpen.filter { Hops($0.route).entries.contains("payments=service") }
        #expect(triedService.count <= Self.threads, "\(triedService.count) checkouts tried the dead service after it opened")
        let straightToFallback = afterOpen.filter {
            Hops($0.route).entries.filter { $0.hasPrefix("payments=") } == ["payments=fallback"]
        }
        #expect(straightToFallback.count >= afterOpen.count - Self.threads && straightToFallback.count >= 9 * Self.threads)
        // And before it opened, after the kill, refused connections fell back too (tried, then served in-process).
        #expect(results.contains { Hops($0.route).entries.contains("payments=fallback") })

        // The held checkouts settle: recovery asks Payments again under the same keys, now in-process.
        if !held.isEmpty {
            let pass = try app.runOps("/admin/recovery/run").decoded(RecoveryPass.self)
            #expect(pass.settled == held.count)
        }
        let orders = results.compactMap(\.orderID)
        #expect(Set(orders).count == results.count, "one order per checkout")
        try app.expectPaidOnce(orders, tenant: tenant, token: token)
        #expect(try app.paymentRows(tenant: tenant) == orders.count, "a payment of no order, or a second one")
        let sold = results.reduce(0) { $0 + $1.quantity }
        let stock = try app.stock(tenant: tenant, token: token, item: item)
        #expect(stock.quantity == initialStock - sold && stock.reserved == 0, "sold \(sold): \(stock)")

        // The status shows the open breaker under the service.
        let breaker = try #require(try app.breakerStatus("payments"))
        #expect(breaker["state"] as? String == "open")
        #expect(breaker["last_failure"] as? String != nil)
        #expect(breaker["opened_at"] is String)
        print("FallbackLoadTests: \(results.count) checkouts, \(held.count) held at the kill and settled")
    }
}
