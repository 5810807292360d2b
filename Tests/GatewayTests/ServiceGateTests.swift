import BanyanTestSupport
import Facade
import Foundation
import Gateway
import HTTPServer
import OrdersAPI
import Platform
import PaymentsAPI
import Synchronization
import Testing

/// The gateway's contract compatibility gate, end to end: a tenant routed to
/// a service whose `GET /contract` no longer serves what the gateway calls
/// keeps its last compatible home, the monolith; `/ready` warns and `GET
/// /admin/flags` says why. A service that honours the contract is called.
@Suite(.serialized) final class ServiceGateTests {
    let app: TestGateway
    init() throws { app = try TestGateway() }

    @Test func aTenantRoutedToAServiceThatDroppedAnOperationIsServedInProcess() throws {
        let full = ContractDescription(module: "payments", operations: PaymentsOperations.interface.operations)
        let stub = try ContractStub(
            contract: ContractDescription(
                module: "payments", operations: full.operations.filter { $0.name != "payments.charge" }))
        defer { stub.stop() }
        let (tenant, token) = try app.tenantWithAdmin("gated")
        let item = try app.addMenuItem(tenant: tenant, token: token, name: "Soup", priceCents: 650, stock: 5)
        try app.route("payments", of: [tenant], to: stub.url)
        let verdict = try waitForVerdict("payments", url: stub.url)
        #expect(verdict["compatible"] as? Bool == false, "\(verdict)")
        let breaking = verdict["breaking"] as? [String] ?? []
        #expect(breaking.contains { $0.contains("payments.charge") }, "\(breaking)")

        let placed = try app.placeOrder(tenant: tenant, token: token, items: [(item, 2)], method: "card", cardToken: "tok_visa")
        #expect(placed.status == 201, "\(placed.code ?? "")")
        #expect(placed.header("x-banyan-route")?.contains("payments=in-process") == true, "\(placed.header("x-banyan-route") ?? "")")
        let order = try placed.decoded(Order.self)
        #expect(try app.onlyPayment(tenant: tenant, token: token, order: order.id).status == .captured)
        #expect(stub.operationCalls.isEmpty, "the incompatible service was called: \(stub.operationCalls)")

        let ready = try app.call("GET", "/ready")
        #expect(ready.status == 200)
        let warnings = ready.json["services"] as? [String] ?? []
        #expect(warnings.contains { $0.hasPrefix("payments:") && $0.contains(stub.url) }, "\(ready.json)")

        // The status says where the tenant is homed, and where its calls go meanwhile.
        let status = try app.call("GET", "/admin/flags/status", token: app.opsToken).decoded(FlagsStatus.self)
        let home = status.tenants.first { $0.tenant == tenant }?.homes["payments"]
        #expect(home?.home == "service")
        #expect(home?.why == "explicit")
        #expect(home?.served == "in-process")
        #expect(status.services["payments"]?.compatible == false)
        #expect(status.services["payments"]?.breaking.contains { $0.contains("payments.charge") } == true)
    }

    @Test func aServiceWithTheContractAndMoreIsCalled() throws {
        // What the gateway calls, plus an operation it does not: additive.
        let full = ContractDescription(module: "payments", operations: PaymentsOperations.interface.operations)
        let extra = try #require(full.operations.first)
        let renamed = try WireJSON.decode(
            OperationDescription.self,
            from: Array(
                String(decoding: try WireJSON.encode(extra), as: UTF8.self)
                    .replacingOccurrences(of: extra.name, with: "payments.newer_operation").utf8))
        let stub = try ContractStub(contract: ContractDescription(module: "payments", operations: full.operations + [renamed]))
        defer { stub.stop() }
        let (tenant, token) = try app.tenantWithAdmin("additive")
        try app.route("payments", of: [tenant], to: stub.url)
        let verdict = try waitForVerdict("payments", url: stub.url)
        #expect(verdict["compatible"] as? Bool == true, "\(verdict)")

        // Routed there: the stub answers the lookup (with a problem), so the call reached it.
        let lookup = try app.call("GET", "/api/v1/payments/\(UUID().uuidString.lowercased())", tenant: tenant, token: token)
        #expect(lookup.header("x-banyan-route") == "payments=service", "\(lookup.status) \(lookup.header("x-banyan-route") ?? "")")
        #expect(!stub.operationCalls.isEmpty, "the compatible service was not called")
        let ready = try app.call("GET", "/ready")
        #expect(ready.json["services"] as? [String] == [], "\(ready.json)")
    }

    /// Waits, bounded, until GET /admin/flags reports a verdict on `module`'s service at `url`.
    private func waitForVerdict(_ module: String, url: String) throws -> [String: Any] {
        var verdict: [String: Any] = [:]
        let found = try app.eventually(within: 10) {
            let reply = try app.call("GET", "/admin/flags", token: app.opsToken)
            verdict = (reply.json["gate"] as? [String: Any])?[module] as? [String: Any] ?? [:]
            return verdict["url"] as? String == url && verdict["compatible"] is Bool
        }
        guard found else { throw TestFailure("no verdict on \(module) at \(url) within 10 s: \(verdict)") }
        return verdict
    }
}
