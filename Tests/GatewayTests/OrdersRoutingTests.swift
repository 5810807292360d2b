import BanyanTestSupport
import Foundation
import OrdersAPI
import PaymentsAPI
import Platform
import Security
import Testing

/// Orders extracted: a real gateway beside a real `orders-service` and
/// `payments-service` over one PostgreSQL. One tenant's checkouts are homed
/// in orders-service, whose saga charges through the gateway's internal
/// listener (that tenant's Payments is still in the monolith); a second
/// tenant has Orders and Payments both homed in services, so its charge goes
/// from orders-service to payments-service. Each order is paid once and the
/// stock is exact.
@Suite(.serialized) struct OrdersRoutingTests {
    @Test func aServiceHomedTenantsCheckoutRunsInOrdersServiceAndChargesAtItsPaymentsHome() throws {
        let app = try TestGateway()
        let orders = try ServiceProcess.start("orders-service", beside: app)
        defer { orders.stop() }
        let payments = try ServiceProcess.start("payments-service", beside: app)
        defer { payments.stop() }
        let (monolithPaid, monolithToken) = try app.tenantWithAdmin("o-mono")
        let (servicePaid, serviceToken) = try app.tenantWithAdmin("o-svc")
        let (stayed, stayedToken) = try app.tenantWithAdmin("o-stay")
        try app.route(
            services: ["orders": orders.url, "payments": payments.url],
            homes: ["orders": [monolithPaid, servicePaid], "payments": [servicePaid]])
        // orders-service routes its charges by the same file: wait, bounded, until it has read it.
        #expect(
            app.eventually(within: 10) {
                orders.log.split(separator: "\n").contains { $0.contains("flags loaded") && $0.contains(servicePaid) }
            }, "orders-service log:\n\(orders.log)")

        for (tenant, token, paymentsHome) in [
            (monolithPaid, monolithToken, "in the monolith"), (servicePaid, serviceToken, "in payments-service"),
        ] {
            let item = try app.addMenuItem(tenant: tenant, token: token, name: "Soup", priceCents: 650, stock: 5)
            let reply = try app.placeOrder(
                tenant: tenant, token: token, items: [(item, 2)], method: "card", cardToken: "tok_visa",
                idempotencyKey: "checkout-\(tenant)")
            #expect(reply.status == 201, "\(tenant): \(reply.code ?? "")")
            #expect(reply.header("x-banyan-route") == "orders=service", "\(tenant): the gateway only called Orders")
            let order = try reply.decoded(Order.self)
            #expect(order.status == .completed && order.paymentStatus == "captured", "\(tenant): \(order)")
            let requestID = try #require(reply.header("x-request-id"))
            #expect(
                app.eventually(within: 10) { orders.served(operation: "orders.place", tenant: tenant, requestID: requestID) },
                "orders-service log:\n\(orders.log)")

            // A replay with the same key is answered by orders-service with the same order, charging nothing again.
            let replay = try app.placeOrder(
                tenant: tenant, token: token, items: [(item, 2)], method: "card", cardToken: "tok_visa",
                idempotencyKey: "checkout-\(tenant)")
            #expect(replay.status == 201, "\(tenant) replay: \(replay.code ?? "")")
            #expect(replay.header("x-banyan-route") == "orders=service", "\(tenant): the replay went to orders-service")
            #expect(try replay.decoded(Order.self) == order, "\(tenant): the replay's order")

            let paid = try app.payments(tenant: tenant, token: token, order: order.id)
            #expect(paid.count == 1 && paid.first?.status == .captured, "\(tenant), payments \(paymentsHome): \(paid)")
            #expect(try app.paymentRows(tenant: tenant) == 1, "\(tenant): one payment row, whoever wrote it")
            #expect(try app.sellable(tenant: tenant, token: token, item: item) == 3, "\(tenant): stock")
            // Placed in orders-service, ticketed by the monolith's Restaurant from the outbox.
            #expect(
                try app.eventually(within: 10) { try app.kitchenTicketOrders(tenant: tenant) == [order.id] },
                "\(tenant): the kitchen ticket of \(order.id)")
            #expect(try app.stock(tenant: tenant, token: token, item: item).reserved == 0, "\(tenant): nothing held")

            // The charge ran at the tenant's Payments home, reached from
            // orders-service, which hosts no Payments: payments-service, or
            // else the only other process that does, the gateway (its
            // internal listener), whose one payment row is counted above.
            if tenant == servicePaid {
                #expect(
                    app.eventually(within: 10) {
                        payments.served(operation: "payments.charge", tenant: tenant, requestID: requestID)
                    }, "payments-service log:\n\(payments.log)")
            }
        }
        // payments-service logs in order: having logged the second tenant's
        // charge, it would have logged one of the first tenant's before it.
        #expect(!payments.servedAnything(tenant: monolithPaid), "payments-service log:\n\(payments.log)")

        // A tenant nobody moved checks out in the gateway, as before.
        let item = try app.addMenuItem(tenant: stayed, token: stayedToken, name: "Stew", priceCents: 900, stock: 2)
        let reply = try app.placeOrder(tenant: stayed, token: stayedToken, items: [(item, 1)])
        #expect(reply.status == 201, "\(reply.code ?? "")")
        #expect(reply.header("x-banyan-route")?.hasPrefix("orders=in-process") == true, "\(reply.header("x-banyan-route") ?? "")")
        #expect(!RequestLogTests.accessLines(orders.log).contains { $0["tenant"] == .string(stayed) }, "orders-service log:\n\(orders.log)")
        #expect(try app.sellable(tenant: stayed, token: stayedToken, item: item) == 1)
    }
}
