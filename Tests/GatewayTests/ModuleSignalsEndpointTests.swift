import BanyanTestSupport
import Facade
import Foundation
import InventoryAPI
import ModuleRegistry
import Platform
import Testing

@testable import Gateway

/// `GET /admin/modules` after real checkouts through the gateway: the
/// modules a checkout runs show calls with their own CPU and database time,
/// declined cards show as payments' errors, calls from a service through the
/// internal listener count, and a module nobody called shows zeros.
@Suite struct ModuleSignalsEndpointTests {
    let app: TestGateway
    init() throws { app = try TestGateway() }

    func signals() throws -> (reply: TestGateway.Reply, report: ModuleSignalsReport) {
        let reply = try app.call("GET", "/admin/modules", token: app.opsToken)
        return (reply, try reply.decoded(ModuleSignalsReport.self))
    }

    func module(_ name: String, in report: ModuleSignalsReport) throws -> ModuleSignalsReport.Module {
        try #require(report.modules.first { $0.module == name }, "\(name) is not listed")
    }

    @Test func checkoutsShowAsEachModulesOwnCallsCPUAndDatabaseTime() throws {
        let (tenant, token) = try app.tenantWithAdmin("signals")
        let item = try app.addMenuItem(tenant: tenant, token: token, name: "Taco", priceCents: 450, stock: 50)
        for _ in 0..<3 {
            let order = try app.placeOrder(tenant: tenant, token: token, items: [(item, 1)], method: "card", cardToken: "tok_visa")
            #expect(order.status == 201, "\(order.code ?? "")")
        }
        let approved = try module("payments", in: try signals().report)
        #expect(approved.minute.calls > 0)
        #expect(approved.minute.errorRate == 0, "no charge failed yet")

        for _ in 0..<2 {
            let order = try app.placeOrder(
                tenant: tenant, token: token, items: [(item, 1)], method: "card", cardToken: "tok_declined")
            #expect(order.status == 402, "\(order.status) \(order.code ?? "")")
        }
        let (reply, report) = try signals()
        #expect(reply.status == 200)
        OpenAPIDocumentTests.Conformance(document: try app.call("GET", "/openapi.json").json)
            .expect(reply, "GET", "/admin/modules")

        #expect(report.modules.map(\.module).sorted() == ModuleRegistry.all.map(\.name).sorted())
        for name in ["orders", "inventory", "payments", "restaurant"] {
            let figures = try module(name, in: report).minute
            #expect(figures.calls > 0, "\(name)")
            #expect(figures.callsPerMinute == Double(figures.calls), "\(name): the minute's rate is its count")
            #expect(figures.cpuMsPerCall > 0, "\(name)")
            #expect(figures.dbMsPerCall > 0, "\(name)")
            #expect(figures.p50Ms > 0 && figures.p99Ms >= figures.p50Ms, "\(name)")
            let hour = try module(name, in: report).hour
            #expect(hour.calls == figures.calls, "\(name): everything of this young gateway is in both windows")
        }
        // Exactly the two declined charges failed, of every payments call so far.
        let payments = try module("payments", in: report).minute
        #expect(payments.calls > approved.minute.calls)
        #expect((payments.errorRate * Double(payments.calls)).rounded() == 2, "\(payments)")

        let chatbot = try module("chatbot", in: report)
        for figures in [chatbot.minute, chatbot.hour] {
            #expect(figures.calls == 0 && figures.cpuMsPerCall == 0 && figures.dbMsPerCall == 0)
            #expect(figures.p50Ms == 0 && figures.p99Ms == 0 && figures.errorRate == 0 && figures.callsPerMinute == 0)
        }
        #expect(chatbot.why == "no calls in the last hour")

        // The busiest consumer of CPU first.
        let cpu = report.modules.map(\.minute.cpuMsPerMinute)
        #expect(cpu == cpu.sorted(by: >), "\(cpu)")
        #expect(report.modules.first?.why.hasPrefix("most CPU per minute") == true)
    }

    /// A service calling a module homed in the monolith runs the same table, and counts.
    @Test func callsThroughTheInternalListenerCount() throws {
        let (tenant, _) = try app.tenantWithAdmin("signals-internal")
        let before = try module("inventory", in: try signals().report).minute.calls
        let inventory = InventoryClient(transport: app.internalTransport(module: InventoryOperations.interface))
        _ = try inventory.stockLevels(CallContext(tenant: TenantID(tenant)!, role: .manager, requestID: "signals"))
        let after = try module("inventory", in: try signals().report).minute
        #expect(after.calls == before + 1)
        #expect(after.dbMsPerCall > 0)
    }

    @Test func onlyOperatorsMaySeeThem() throws {
        #expect(try app.call("GET", "/admin/modules").status == 401)
        let (_, token) = try app.tenantWithAdmin("signals-refused")
        #expect(try app.call("GET", "/admin/modules", token: token).status == 401)
    }
}
