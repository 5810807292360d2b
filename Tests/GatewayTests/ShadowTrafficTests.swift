import BanyanTestSupport
import Foundation
import Gateway
import PaymentsAPI
import Platform
import Testing

/// A tenant whose Payments home is `shadow`, end to end: a real gateway, a
/// real payments-service behind a proxy that changes one field of one
/// operation's answers, and the real `banyan flags shadow-report`. The
/// client only ever sees the in-process answers; the reads — never the
/// writes — reach the service too, and `/admin/shadow` counts exactly the
/// differences the proxy made, with the path and both values.
@Suite(.serialized) struct ShadowTrafficTests {
    let app: TestGateway
    init() throws { app = try TestGateway() }

    func report(_ query: String = "") throws -> ShadowRoutes.Report {
        try app.call("GET", "/admin/shadow" + query, token: app.opsToken).decoded(ShadowRoutes.Report.self)
    }

    func counts(_ report: ShadowRoutes.Report, _ operation: String) -> ShadowRoutes.Counts? {
        report.byModule.first { $0.operation == operation }?.counts
    }

    /// Takes a cash payment through the API (a write: `payments.charge`).
    func pay(_ tenant: String, _ token: String, cents: Int, order: String) throws -> (TestGateway.Reply, Payment) {
        let reply = try app.call(
            "POST", "/api/v1/payments/process", tenant: tenant, token: token,
            json: ["amount_cents": cents, "currency": "USD", "method": "cash", "order_id": order],
            headers: [("idempotency-key", "pay-\(order)")])
        guard reply.status == 201 else { throw TestFailure("process: \(reply.status) \(reply.code ?? "")") }
        return (reply, try reply.decoded(Payment.self))
    }

    @Test func readsAreComparedOffThePathAndOnlyTheRewrittenFieldDiffers() throws {
        let service = try ServiceProcess.start("payments-service", beside: app)
        defer { service.stop() }
        let proxy = try ShadowProxy(to: service.url, rewriting: "payments.payment", field: "amount_cents")
        defer { proxy.stop() }
        let (tenant, token) = try app.tenantWithAdmin("shadow")
        try app.route(services: ["payments": proxy.url], defaults: ["payments": "shadow"])

        let order = "order-\(tenant)"
        let (paid, payment) = try pay(tenant, token, cents: 1250, order: order)
        #expect(paid.header("x-banyan-route") == "payments=shadow")
        #expect(payment.amountCents == 1250)

        for _ in 0..<3 {
            let one = try app.call("GET", "/api/v1/payments/\(payment.id)", tenant: tenant, token: token)
            #expect(one.status == 200)
            #expect(one.header("x-banyan-route") == "payments=shadow")
            // The in-process answer, never the service's (which the proxy says is 1251).
            #expect(try one.decoded(Payment.self) == payment)
        }
        for _ in 0..<2 {
            let list = try app.call("GET", "/api/v1/payments?order_id=\(order)", tenant: tenant, token: token)
            #expect(list.status == 200)
            #expect(list.header("x-banyan-route") == "payments=shadow")
            #expect(try list.decoded(PaymentList.self).payments == [payment])
        }

        let compared = try app.eventually { try report().totals.comparisons == 5 }
        let raw = try app.call("GET", "/admin/shadow", token: app.opsToken).body
        #expect(compared, "shadow report: \(String(decoding: raw, as: UTF8.self))")
        let found = try report()
        #expect(found.rate == 1)
        #expect(counts(found, "payments.payment")?.comparisons == 3)
        #expect(counts(found, "payments.payment")?.diffs == 3)
        #expect(counts(found, "payments.payment")?.matches == 0)
        #expect(counts(found, "payments.payments_of_order")?.matches == 2)
        #expect(counts(found, "payments.payments_of_order")?.diffs == 0)
        #expect(found.totals.errors == 0)
        #expect(found.totals.dropped == 0)
        #expect(found.byModule.flatMap(\.tenants).map(\.tenant) == [tenant, tenant])
        #expect(found.recentDiffs.count == 3)
        for diff in found.recentDiffs {
            #expect(diff.operation == "payments.payment")
            #expect(diff.tenant == tenant)
            #expect(diff.total == 1)
            #expect(diff.differences.map(\.path) == [".amount_cents"])
            #expect(diff.differences.first?.inProcess == .int(1250))
            #expect(diff.differences.first?.service == .int(1251))
        }
        // The write went nowhere but in-process: the proxy saw reads only.
        #expect(!proxy.operations.contains("payments.charge"))
        #expect(
            proxy.operations.sorted() == ["payments.payment", "payments.payment", "payments.payment",
                                          "payments.payments_of_order", "payments.payments_of_order"])
        // Flat counts per operation and tenant: what the migration console reads.
        let entries = try app.call("GET", "/admin/shadow", token: app.opsToken).json["by_module"] as? [[String: Any]] ?? []
        let paymentEntry = entries.first { $0["operation"] as? String == "payments.payment" }
        #expect(paymentEntry?["diffs"] as? Int == 3)
        #expect((paymentEntry?["tenants"] as? [[String: Any]])?.first?["comparisons"] as? Int == 3)
        // The answer, diffs and all, is what the API document says; operators only.
        let check = OpenAPIDocumentTests.Conformance(document: try app.call("GET", "/openapi.json").json)
        check.expect(try app.call("GET", "/admin/shadow", token: app.opsToken), "GET", "/admin/shadow")
        let anonymous = try app.call("GET", "/admin/shadow")
        #expect(anonymous.status == 401)
        check.expect(anonymous, "GET", "/admin/shadow")
        // Filters narrow every part of the report.
        #expect(try report("?tenant=nobody").totals.comparisons == 0)
        #expect(try report("?tenant=nobody").recentDiffs.isEmpty)
        #expect(try report("?module=payments&tenant=\(tenant)").totals.comparisons == 5)

        let home = try ChildProcess.makePrivateDirectory("shadow-cli")
        let cli = try ChildProcess.run(
            ChildProcess.product("banyan"), ["flags", "shadow-report", "--tenant", tenant, "--gateway", app.baseURL],
            environment: ["BANYAN_OPS_TOKEN": app.opsToken, "BANYAN_HOME": home, "BANYAN_GATEWAY_URL": nil], within: 60)
        #expect(cli.exit.status == 0, "\(cli.stderr)")
        #expect(cli.stdout.contains(".amount_cents: 1250 ≠ 1251"), "\(cli.stdout)")
        let row = cli.stdout.split(separator: "\n").first { $0.hasPrefix("payments  payments.payment ") }
        #expect(row?.split(separator: " ").suffix(5) == ["3", "0", "3", "0", "0"], "\(cli.stdout)")
        let json = try ChildProcess.run(
            ChildProcess.product("banyan"), ["flags", "shadow-report", "--json", "--module", "payments", "--gateway", app.baseURL],
            environment: ["BANYAN_OPS_TOKEN": app.opsToken, "BANYAN_HOME": home, "BANYAN_GATEWAY_URL": nil], within: 60)
        #expect(json.exit.status == 0)
        #expect(try WireJSON.decode(ShadowRoutes.Report.self, from: Array(json.stdout.utf8)).totals.diffs == 3)
        let usage = try ChildProcess.run(
            ChildProcess.product("banyan"), ["flags", "shadow-report", "payments", "--gateway", app.baseURL],
            environment: ["BANYAN_OPS_TOKEN": app.opsToken, "BANYAN_HOME": home, "BANYAN_GATEWAY_URL": nil], within: 60)
        #expect(usage.exit.status == 2)
    }

    @Test func aServiceThatIsDownIsCountedAsErrorsAndTheClientIsServed() throws {
        let refusing = try RefusingPort()
        defer { refusing.close() }
        let (tenant, token) = try app.tenantWithAdmin("shadow-down")
        try app.route(
            services: ["payments": "http://127.0.0.1:\(refusing.port)"], defaults: ["payments": "shadow"])

        let order = "order-\(tenant)"
        let (_, payment) = try pay(tenant, token, cents: 900, order: order)
        for _ in 0..<4 {
            let one = try app.call("GET", "/api/v1/payments/\(payment.id)", tenant: tenant, token: token)
            #expect(one.status == 200)
            #expect(one.header("x-banyan-route") == "payments=shadow")
            #expect(try one.decoded(Payment.self) == payment)
        }
        #expect(try app.eventually { try report().totals.errors == 4 })
        let found = try report()
        #expect(found.totals.comparisons == 0)
        #expect(found.totals.diffs == 0)
        #expect(found.recentDiffs.isEmpty)
        #expect(counts(found, "payments.payment")?.errors == 4)
    }

    @Test func aSlowServiceNeverDelaysTheClient() throws {
        // Holds every call far beyond the service timeout (5 s) until released.
        let slow = try SlowServiceStub(hold: 60)
        defer { slow.stop() }
        let (tenant, token) = try app.tenantWithAdmin("shadow-slow")
        try app.route(services: ["payments": slow.url], defaults: ["payments": "shadow"])

        let (_, payment) = try pay(tenant, token, cents: 300, order: "order-\(tenant)")
        for _ in 0..<3 {
            let started = Date()
            let one = try app.call("GET", "/api/v1/payments/\(payment.id)", tenant: tenant, token: token)
            let took = Date().timeIntervalSince(started)
            #expect(one.status == 200)
            #expect(try one.decoded(Payment.self) == payment)
            // Had the read waited for its shadow call, it would have taken the service timeout.
            #expect(took < 2, "a shadowed read took \(took) s")
        }
        // The shadow calls did reach the service (two threads: two held at once), and were not answered yet.
        #expect(app.eventually { slow.inFlight == 2 })
        #expect(try report().totals.comparisons + report().totals.errors == 0)
        slow.release()
        // The stub answers 404 to all: errors, not diffs.
        #expect(try app.eventually { try report().totals.errors == 3 })
        #expect(try report().totals.diffs == 0)
        #expect(slow.operations == ["payments.payment", "payments.payment", "payments.payment"])
    }

    @Test func aGatewayWithABadShadowRateRefusesToStart() throws {
        let state = try ChildProcess.makePrivateDirectory("gw-rate")
        let child = try ChildProcess.start(
            ChildProcess.product("banyan"), ["serve"],
            environment: [
                "DATABASE_URL": app.database.adminConnectionInfo, "BANYAN_DB_SECRET": TestDatabase.roleSecret,
                "BANYAN_HOME": state, "BANYAN_PORT": "0", "BANYAN_INTERNAL_PORT": "0", "BANYAN_FLAGS": app.flagsPath,
                "BANYAN_OPS_TOKEN": app.opsToken, "BANYAN_SHADOW_RATE": "1.5",
            ],
            mergingStandardError: true, owning: state)
        let exit = child.waitForExit(within: 120)
        if exit == nil { _ = child.kill() }
        #expect(exit != nil && exit != .success, "\(child.output)")
        #expect(child.output.contains("BANYAN_SHADOW_RATE must be a number from 0.0 to 1.0"), "\(child.output)")
        #expect(!child.output.contains("gateway listening"))
    }
}
