import BanyanTestSupport
import Foundation
import HTTPClient
import Testing

/// `/metrics` of a live gateway and of a service process, after real
/// requests, read by a real Prometheus parser (`MetricsParser`).
@Suite struct MetricsScrapeTests {
    @Test func theGatewaysMetricsCountACheckoutByRouteTemplateAndModuleCall() throws {
        let app = try TestGateway()
        let (tenant, token) = try app.tenantWithAdmin("metrics")
        let item = try app.addMenuItem(tenant: tenant, token: token, name: "Soup", priceCents: 650, stock: 5)
        let placed = try app.placeOrder(tenant: tenant, token: token, items: [(item, 1)])
        #expect(placed.status == 201, "\(placed.code ?? "")")
        #expect(try app.call("GET", "/no/such/endpoint").status == 404)

        // Operators only, like /admin.
        #expect(try app.call("GET", "/metrics").status == 401)
        #expect(try app.call("GET", "/metrics", token: token).status == 401)
        let scrape = try app.call("GET", "/metrics", token: app.opsToken)
        #expect(scrape.status == 200)
        #expect(scrape.header("content-type")?.hasPrefix("text/plain; version=0.0.4") == true)
        let text = String(decoding: scrape.body, as: UTF8.self)
        let families = try MetricsParser.parse(text)

        // HTTP requests by route template, method and status.
        #expect(families.family("banyan_http_requests")?.type == "counter")
        let checkouts = families.samples(
            "banyan_http_requests_total", ["route": "/api/v1/orders", "method": "POST", "status": "201"])
        #expect(checkouts.count == 1)
        #expect((checkouts.first?.number ?? 0) >= 1)
        #expect(!families.samples("banyan_http_requests_total", ["route": "/api/v1/inventory/{item_id}", "method": "PUT"]).isEmpty)
        #expect(!families.samples("banyan_http_requests_total", ["route": "unmatched", "status": "404"]).isEmpty)
        // Never the raw path: the item's id is in no label.
        #expect(!text.contains(item))
        #expect(families.family("banyan_http_request_duration_seconds")?.type == "histogram")
        let durations = families.samples("banyan_http_request_duration_seconds_bucket", ["route": "/api/v1/orders", "method": "POST"])
        let count = families.samples("banyan_http_request_duration_seconds_count", ["route": "/api/v1/orders", "method": "POST"])
        #expect(durations.first { $0.labels["le"] == "+Inf" }?.number == count.first?.number)
        #expect(durations.map { $0.number ?? -1 } == durations.map { $0.number ?? -1 }.sorted(), "buckets are cumulative")

        // Module calls: the checkout ran orders.place in-process, and called inventory and payments from it.
        #expect(families.family("banyan_module_calls")?.type == "counter")
        let places = families.samples(
            "banyan_module_calls_total", ["module": "orders", "operation": "orders.place", "path": "in-process", "outcome": "ok"])
        #expect((places.first?.number ?? 0) >= 1)
        #expect(families.family("banyan_module_call_duration_seconds")?.type == "histogram")
        #expect(
            (families.samples(
                "banyan_module_call_duration_seconds_count", ["module": "orders", "operation": "orders.place", "path": "in-process"]
            ).first?.number ?? 0) >= 1)
        #expect(families.family("banyan_module_call_errors")?.type == "counter")

        // The gateway's components, through collectors.
        #expect(families.family("banyan_flags_info")?.type == "gauge")
        #expect(families.samples("banyan_flags_info").first?.labels["version"] != nil)
        #expect(families.samples("banyan_flags_info").first?.number == 1)
        #expect(families.family("banyan_flags_loads")?.type == "counter")
        #expect(families.family("banyan_flags_rejected")?.type == "counter")
        #expect((families.samples("banyan_db_pool_size", ["module": "orders"]).first?.number ?? 0) > 0)
        #expect((families.samples("banyan_db_pool_connections_open", ["module": "orders"]).first?.number ?? 0) >= 1)
        #expect(families.family("banyan_db_pool_waits")?.type == "counter")
        #expect(families.family("banyan_outbox_pending_events")?.type == "gauge")
        #expect(!families.samples("banyan_outbox_parked_events", ["module": "orders"]).isEmpty)
        // The pass before serving.
        #expect((families.samples("banyan_checkout_recovery_passes_total").first?.number ?? 0) >= 1)
        #expect(families.family("banyan_reconciliation_sweeps")?.type == "counter")

        // Cardinality: no tenant anywhere.
        let labels = Set(families.flatMap(\.samples).flatMap(\.labels.keys))
        #expect(!labels.contains("tenant"))
        #expect(!labels.contains("tenant_id"))
        #expect(!text.contains(tenant))
    }

    @Test func aServiceProcessServesMetricsByOperation() throws {
        let app = try TestGateway()
        let service = try ServiceProcess.start("payments-service", beside: app)
        defer { service.stop() }
        let (tenant, token) = try app.tenantWithAdmin("svc-metrics")
        try app.routePayments(of: [tenant], to: service.url)
        let reply = try app.call("GET", "/api/v1/payments?order_id=o-1", tenant: tenant, token: token)
        #expect(reply.status == 200, "\(reply.code ?? "")")
        #expect(reply.header("x-banyan-route") == "payments=service")

        // No token: services sit on the internal network, with the scraper.
        let scrape = try HTTPClient.shared.send(method: "GET", url: service.url + "/metrics")
        #expect(scrape.status == 200)
        let text = String(decoding: scrape.body, as: UTF8.self)
        let families = try MetricsParser.parse(text)
        let served = families.samples(
            "banyan_http_requests_total",
            ["route": "/operations/{operation}", "operation": "payments.payments_of_order", "method": "POST", "status": "200"])
        #expect((served.first?.number ?? 0) >= 1, "\(text)")
        #expect(families.family("banyan_http_request_duration_seconds")?.type == "histogram")
        // Its own pool and flags, as the gateway exposes its.
        #expect(families.samples("banyan_db_pool_size", ["module": "payments"]).first?.number ?? 0 >= 1, "\(text)")
        // prometheus_client names a counter's family without `_total`; its samples keep it.
        #expect(families.family("banyan_db_pool_waits")?.type == "counter")
        // (The service reads flags.json on its own clock: whether it has loaded the test's file yet is not asked.)
        #expect(families.family("banyan_flags_loads")?.type == "counter", "\(text)")
        #expect(families.family("banyan_flags_info")?.type == "gauge")
        #expect(!Set(families.flatMap(\.samples).flatMap(\.labels.keys)).contains("tenant"))
        #expect(!text.contains(tenant))

        // The gateway counted the same call as a module call on the service path.
        let gateway = try MetricsParser.parse(
            String(decoding: try app.call("GET", "/metrics", token: app.opsToken).body, as: UTF8.self))
        let calls = gateway.samples(
            "banyan_module_calls_total",
            ["module": "payments", "operation": "payments.payments_of_order", "path": "service", "outcome": "ok"])
        #expect((calls.first?.number ?? 0) >= 1)
    }
}
