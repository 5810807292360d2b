import BanyanTestSupport
import Foundation
import HTTPServer
import InventoryAPI
import OrdersAPI
import PaymentsAPI
import Testing

/// The strangler fig end to end: a real gateway, a real `payments-service`
/// child process on a free port, one PostgreSQL, and flags.json rewritten
/// while checkouts run — what an operator does to move one restaurant's
/// payments to the service, and back.
@Suite(.serialized) struct StagedMigrationTests {
    let app: TestGateway
    init() throws { app = try TestGateway() }

    @Test func twoTenantsOnDifferentPathsCheckOutInTheSameRun() throws {
        let service = try ServiceProcess.start("payments-service", beside: app)
        defer { service.stop() }
        let (moved, movedToken) = try app.tenantWithAdmin("moved")
        let (stayed, stayedToken) = try app.tenantWithAdmin("stayed")
        let movedItem = try app.addMenuItem(tenant: moved, token: movedToken, name: "Soup", priceCents: 650, stock: 10)
        let stayedItem = try app.addMenuItem(tenant: stayed, token: stayedToken, name: "Soup", priceCents: 650, stock: 10)

        try writeFlags(serviceURL: service.url, movedTenants: [moved], how: .rename)
        try waitForRoute(moved, .service)

        let viaService = try app.placeOrder(
            tenant: moved, token: movedToken, items: [(movedItem, 2)], method: "card", cardToken: "tok_visa")
        let inProcess = try app.placeOrder(
            tenant: stayed, token: stayedToken, items: [(stayedItem, 3)], method: "card", cardToken: "tok_visa")
        #expect(viaService.status == 201, "\(viaService.code ?? "")")
        #expect(inProcess.status == 201, "\(inProcess.code ?? "")")
        #expect(viaService.header("x-banyan-route")?.contains("payments=service") == true)
        #expect(inProcess.header("x-banyan-route")?.contains("payments=in-process") == true)
        let movedOrder = try viaService.decoded(Order.self)
        let stayedOrder = try inProcess.decoded(Order.self)
        #expect(movedOrder.paymentStatus == "captured")
        #expect(stayedOrder.paymentStatus == "captured")

        // Recorded once each, in the one database both paths share.
        let movedPayments = try app.payments(tenant: moved, token: movedToken, order: movedOrder.id)
        let stayedPayments = try app.payments(tenant: stayed, token: stayedToken, order: stayedOrder.id)
        #expect(movedPayments.count == 1)
        #expect(movedPayments.first?.status == .captured)
        #expect(movedPayments.first?.amountCents == 1300)
        #expect(stayedPayments.count == 1)
        #expect(stayedPayments.first?.status == .captured)
        #expect(stayedPayments.first?.amountCents == 1950)
        #expect(try app.sellable(tenant: moved, token: movedToken, item: movedItem) == 8)
        #expect(try app.sellable(tenant: stayed, token: stayedToken, item: stayedItem) == 7)

        // The child really served the moved tenant's charge, and never the other's.
        let requestID = try #require(viaService.header("x-request-id"))
        #expect(
            app.eventually(within: 5) { service.served(operation: "payments.charge", tenant: moved, requestID: requestID) },
            "payments-service log:\n\(service.log)")
        #expect(!service.served(operation: "payments.charge", tenant: stayed, requestID: nil))

        // The operator's view: the active snapshot, where it came from, no error.
        let flags = try app.call("GET", "/admin/flags", token: app.opsToken)
        #expect(flags.status == 200)
        let active = try #require(flags.json["active"] as? [String: Any])
        #expect((active["services"] as? [String: Any])?["payments"] as? String == service.url)
        let payments = try #require((active["modules"] as? [String: Any])?["payments"] as? [String: Any])
        #expect(payments["default"] as? String == "in-process")
        #expect((payments["tenants"] as? [String: Any])?[moved] as? String == "service")
        #expect((payments["tenants"] as? [String: Any])?[stayed] == nil)
        #expect((flags.json["source"] as? String)?.hasSuffix("/flags.json") == true)
        #expect(flags.json["loaded_at"] is String)
        #expect(flags.json["last_error"] is NSNull)
    }

    @Test func flippingATenantBackAndForthUnderLoadFailsNothingAndChargesOnce() throws {
        let service = try ServiceProcess.start("payments-service", beside: app)
        defer { service.stop() }
        let (tenant, token) = try app.tenantWithAdmin("flip")
        let initialStock = 100_000
        let item = try app.addMenuItem(tenant: tenant, token: token, name: "Espresso", priceCents: 280, stock: initialStock)
        try writeFlags(serviceURL: service.url, movedTenants: [], how: .rename)
        try waitForRoute(tenant, .inProcess)

        let load = CheckoutLoad(app: app, tenant: tenant, token: token, item: item)
        load.start(threads: 4)
        // Pace the flips so checkouts run on each path in between; each one
        // is waited for through GET /admin/flags, never assumed.
        let flips: [(ExpectedRoute, FlagsWrite)] = [
            (.service, .rename), (.inProcess, .rename), (.service, .inPlace), (.inProcess, .inPlace),
            (.service, .rename), (.inProcess, .rename),
        ]
        var flipError: (any Error)?
        do {
            for (route, how) in flips {
                Thread.sleep(forTimeInterval: 0.8)
                try writeFlags(serviceURL: service.url, movedTenants: route == .service ? [tenant] : [], how: how)
                try waitForRoute(tenant, route)
            }
            Thread.sleep(forTimeInterval: 0.8)
        } catch {
            flipError = error
        }
        let stopped = load.stop(within: 60)
        #expect(flipError == nil, "\(flipError.map { "\($0)" } ?? "")")
        #expect(stopped, "the checkout threads did not finish")

        let results = load.results
        let failed = results.filter { $0.status != 201 }
        #expect(results.count >= 20, "too little load to prove anything: \(results.count) checkouts")
        #expect(failed.isEmpty, "failed checkouts: \(failed.prefix(10).map { "\($0.status) \($0.code ?? "")" })")
        let viaService = results.filter { $0.route?.contains("payments=service") == true }.count
        let inProcess = results.filter { $0.route?.contains("payments=in-process") == true }.count
        #expect(viaService > 0, "no checkout went through payments-service")
        #expect(inProcess > 0, "no checkout stayed in-process")
        #expect(viaService + inProcess == results.count, "every checkout names its payments route")

        // Every order paid exactly once.
        let orders = results.compactMap(\.orderID)
        #expect(orders.count == results.count)
        #expect(Set(orders).count == orders.count, "one order per Idempotency-Key")
        try app.expectPaidOnce(orders, tenant: tenant, token: token)
        let completed = try app.call("GET", "/api/v1/orders?status=completed", tenant: tenant, token: token)
        #expect(try completed.decoded(OrderPage.self).total == results.count)

        // Stock exact: every sale taken once, nothing left reserved.
        let sold = results.filter { $0.status == 201 }.reduce(0) { $0 + $1.quantity }
        let stock = try app.stock(tenant: tenant, token: token, item: item)
        #expect(stock.quantity == initialStock - sold)
        #expect(stock.reserved == 0)
    }

    @Test func aTenantRoutedToADownServiceFailsFastAndLeavesNothingHalfDone() throws {
        let (tenant, token) = try app.tenantWithAdmin("down")
        let item = try app.addMenuItem(tenant: tenant, token: token, name: "Pie", priceCents: 450, stock: 5)
        let deadPort = try RefusingPort()
        defer { deadPort.close() }
        try writeFlags(serviceURL: "http://127.0.0.1:\(deadPort.port)", movedTenants: [tenant], how: .rename)
        try waitForRoute(tenant, .service)

        let started = Date()
        let refused = try app.placeOrder(tenant: tenant, token: token, items: [(item, 2)], method: "card", cardToken: "tok_visa")
        let elapsed = Date().timeIntervalSince(started)
        #expect(refused.status == 503)
        #expect(refused.code == "module_unavailable")
        #expect(elapsed < 2, "answered after \(elapsed) s")
        #expect(refused.header("x-banyan-route")?.contains("payments=service") == true)

        // Compensated before the answer: stock back, the order cancelled, not pending.
        let stock = try app.stock(tenant: tenant, token: token, item: item)
        #expect(stock.quantity == 5)
        #expect(stock.reserved == 0)
        let orders = try app.call("GET", "/api/v1/orders", tenant: tenant, token: token).decoded(OrderPage.self).orders
        #expect(orders.count == 1)
        #expect(orders.first?.status == .cancelled)
        #expect(orders.first?.failureCode == "module_unavailable")
        let cancelledOrder = try #require(orders.first?.id)

        // Back in-process: no payment was taken for it, and checkouts work again.
        try writeFlags(serviceURL: "http://127.0.0.1:\(deadPort.port)", movedTenants: [], how: .rename)
        try waitForRoute(tenant, .inProcess)
        #expect(try app.payments(tenant: tenant, token: token, order: cancelledOrder).isEmpty)
        let placed = try app.placeOrder(tenant: tenant, token: token, items: [(item, 2)], method: "card", cardToken: "tok_visa")
        #expect(placed.status == 201)
        #expect(placed.header("x-banyan-route")?.contains("payments=in-process") == true)
        #expect(try app.sellable(tenant: tenant, token: token, item: item) == 3)
        let order = try placed.decoded(Order.self).id
        #expect(try app.payments(tenant: tenant, token: token, order: order).map(\.status) == [.captured])
    }

    // MARK: - flags.json

    enum ExpectedRoute: String {
        case service
        case inProcess = "in-process"
    }

    /// How an operator's edit lands: a whole new file renamed over the old
    /// one (editors, config tools), or the same file rewritten in place.
    enum FlagsWrite {
        case rename
        case inPlace
    }

    /// Routes `movedTenants`' payments to `serviceURL`, everyone else's in-process.
    private func writeFlags(serviceURL: String, movedTenants: [String], how: FlagsWrite) throws {
        let flags: [String: Any] = [
            "services": ["payments": serviceURL],
            "modules": [
                "payments": [
                    "default": "in-process",
                    "tenants": Dictionary(uniqueKeysWithValues: movedTenants.map { ($0, "service") }),
                ]
            ],
        ]
        let bytes = try JSONSerialization.data(withJSONObject: flags, options: [.prettyPrinted, .sortedKeys])
        switch how {
        case .rename:
            let temporary = app.flagsPath + ".tmp-\(UUID().uuidString.prefix(8))"
            try bytes.write(to: URL(fileURLWithPath: temporary))
            guard rename(temporary, app.flagsPath) == 0 else { throw TestFailure("rename: errno \(errno)") }
        case .inPlace:
            // Same inode, truncated and rewritten: the watcher may catch it half-written and must keep the last good one.
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: app.flagsPath))
            try handle.truncate(atOffset: 0)
            try handle.write(contentsOf: bytes)
            try handle.close()
        }
    }

    /// Waits (bounded) until GET /admin/flags shows `tenant`'s payments on `route`.
    private func waitForRoute(_ tenant: String, _ route: ExpectedRoute, within seconds: Double = 5) throws {
        let took = try app.eventually(within: seconds) {
            let flags = try app.call("GET", "/admin/flags", token: app.opsToken)
            let modules = (flags.json["active"] as? [String: Any])?["modules"] as? [String: Any]
            let tenants = (modules?["payments"] as? [String: Any])?["tenants"] as? [String: Any]
            let active = tenants?[tenant] as? String ?? ((modules?["payments"] as? [String: Any])?["default"] as? String)
            return (active ?? "in-process") == route.rawValue && flags.json["last_error"] is NSNull
        }
        guard took else { throw TestFailure("flags.json did not route \(tenant) to \(route.rawValue) within \(seconds) s") }
    }
}
