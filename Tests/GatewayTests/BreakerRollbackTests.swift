import BanyanTestSupport
import Foundation
import Gateway
import Testing

/// A breaker open past `auto_rollback_after_seconds` moves its module's
/// service tenants back in-process in flags.json, through the control plane,
/// recorded in the audit trail as actor `breaker`.
@Suite(.serialized) struct BreakerRollbackTests {
    @Test func aBreakerOpenTooLongMovesTheServiceTenantsInProcessAndSaysSoInTheHistory() throws {
        let app = try TestGateway()
        // Bound, never listening: every charge sent there is refused.
        let dead = try RefusingPort()
        defer { dead.close() }
        let url = "http://127.0.0.1:\(dead.port)"
        let (cafe, cafeToken) = try app.tenantWithAdmin("cafe")
        let (bistro, _) = try app.tenantWithAdmin("bistro")
        let (bystander, _) = try app.tenantWithAdmin("stays")
        let item = try app.addMenuItem(tenant: cafe, token: cafeToken, name: "Tea", priceCents: 250, stock: 100)
        try app.route(
            "payments", of: [cafe, bistro], to: url, fallback: "in-process",
            breaker: ["failures": 2, "open_seconds": 600, "auto_rollback_after_seconds": 1])
        let before = try app.call("GET", "/admin/flags/history", token: app.opsToken)
            .decoded([FlagRoutes.HistoryEntry].self)
        #expect(!before.contains { $0.actor == "breaker" })

        // Two refused charges open the breaker; the fallback serves both checkouts meanwhile.
        for _ in 0..<2 {
            let placed = try app.placeOrder(tenant: cafe, token: cafeToken, items: [(item, 1)], method: "card", cardToken: "tok_visa")
            #expect(placed.status == 201, "\(placed.code ?? "")")
            #expect(placed.header("x-banyan-route")?.contains("payments=fallback") == true)
        }
        #expect(try app.breakerStatus("payments")?["state"] as? String == "open")

        // Within a second of being open for one, the gateway rewrites flags.json (checked every second).
        let movedBack = try app.eventually(within: 15) {
            let flags = try app.call("GET", "/admin/flags", token: app.opsToken).json
            let payments = ((flags["active"] as? [String: Any])?["modules"] as? [String: [String: Any]])?["payments"]
            return payments?["tenants"] as? [String: String] == [cafe: "in-process", bistro: "in-process"]
        }
        #expect(movedBack, "the tenants are still homed in the dead service")
        let file = try String(contentsOfFile: app.flagsPath, encoding: .utf8)
        #expect(file.contains("\"fallback\": \"in-process\""), "the rest of the module's entry is kept: \(file)")
        #expect(!file.contains("\"service\" }") && !file.contains(": \"service\""), "a tenant left in the service: \(file)")

        let history = try app.call("GET", "/admin/flags/history", token: app.opsToken)
            .decoded([FlagRoutes.HistoryEntry].self)
        let rollbacks = history.filter { $0.actor == "breaker" }
        #expect(rollbacks.count == 1, "one rollback recorded: \(history.map(\.actor))")
        let rollback = try #require(rollbacks.first)
        #expect(rollback.source == "api")
        #expect(rollback.reason?.contains("payments") == true && rollback.reason?.contains(url) == true)
        #expect(rollback.reason?.contains("open for") == true, "\(rollback.reason ?? "")")
        #expect(rollback.gate.result == "passed")
        let moved = rollback.changes.compactMap { change -> String? in
            guard case .object(let fields) = change, case .string(let tenant)? = fields["tenant"],
                fields["to"] == .string("in-process")
            else { return nil }
            return tenant
        }
        #expect(Set(moved) == [cafe, bistro] && !moved.contains(bystander))

        // Now served in-process, as an ordinary home: no fallback, no service.
        let after = try app.placeOrder(tenant: cafe, token: cafeToken, items: [(item, 1)], method: "card", cardToken: "tok_visa")
        #expect(after.status == 201)
        #expect(after.header("x-banyan-route")?.contains("payments=in-process") == true)
        // Nothing homed in the service any more: the breaker, still open, rolls nothing back again.
        // An absence can only be seen by waiting: two and a half check periods.
        Thread.sleep(forTimeInterval: 2.5)
        let later = try app.call("GET", "/admin/flags/history", token: app.opsToken).decoded([FlagRoutes.HistoryEntry].self)
        #expect(later.filter { $0.actor == "breaker" }.count == 1)
        #expect(try app.breakerStatus("payments")?["state"] as? String == "open", "only a probe closes it")
    }
}
