import BanyanTestSupport
import FlagsAudit
import Foundation
import OrdersAPI
import Payments
import Platform
import RestaurantAPI
import Routing
import Testing

@testable import Gateway

/// `/openapi.json` and `/docs` against the gateway they describe: the
/// document lists exactly the router's routes, is served as made once, and
/// real answers — successes and the pipeline's problems alike — are what it says.
@Suite struct OpenAPIDocumentTests {
    let app: TestGateway
    init() throws { app = try TestGateway() }

    @Test func documentListsExactlyTheRoutesOfTheRouter() throws {
        let routes = Router(routeTable()).routes
        let document = try fetchDocument()
        #expect(routes.count > 30)
        let served = Self.operations(document)
        let routed = Set(routes.map { "\($0.method) \($0.pattern)" })
        #expect(routed.subtracting(served).isEmpty, "routes without a document entry")
        #expect(served.subtracting(routed).isEmpty, "document entries without a route")
        #expect(served.count == routes.count, "one entry per route")

        // The comparison notices either kind of drift.
        var paths = document["paths"] as! [String: Any]
        paths.removeValue(forKey: "/api/v1/orders/{id}")
        var short = document
        short["paths"] = paths
        #expect(routed.subtracting(Self.operations(short)) == ["GET /api/v1/orders/{id}"])
        #expect(served.subtracting(routed.subtracting(["POST /api/v1/chat"])) == ["POST /api/v1/chat"])
    }

    @Test func documentIsOpenAPI31MadeOnceWithEveryReferenceResolved() throws {
        let first = try app.call("GET", "/openapi.json")
        let second = try app.call("GET", "/openapi.json")
        #expect(first.status == 200)
        #expect(first.header("content-type") == "application/json")
        #expect(first.body == second.body)
        let document = first.json
        #expect(document["openapi"] as? String == "3.1.0")
        let schemas = (document["components"] as? [String: Any])?["schemas"] as? [String: Any] ?? [:]
        let problem = schemas["ProblemDetails"] as? [String: Any]
        #expect((problem?["required"] as? [String])?.contains("code") == true)

        var references: Set<String> = []
        Self.collectReferences(document, into: &references)
        #expect(references.count > 30)
        for reference in references {
            #expect(schemas[String(reference.dropFirst("#/components/schemas/".count))] != nil, "\(reference)")
        }
        var operationIDs: [String] = []
        for (path, methods) in document["paths"] as? [String: [String: Any]] ?? [:] {
            for (method, operation) in methods {
                let operation = operation as? [String: Any] ?? [:]
                operationIDs.append(operation["operationId"] as? String ?? "")
                let statuses = (operation["responses"] as? [String: Any] ?? [:]).keys
                #expect(statuses.contains { $0.hasPrefix("2") }, "\(method) \(path) has no success")
                #expect(statuses.contains("500"), "\(method) \(path) does not list internal_error")
            }
        }
        #expect(Set(operationIDs).count == operationIDs.count)
    }

    @Test func realAnswersAreWhatTheDocumentSays() throws {
        let document = try fetchDocument()
        let check = Conformance(document: document)
        let (tenant, admin) = try app.tenantWithAdmin("oas")
        let cashier = try app.staff("cashier", tenant: tenant, adminToken: admin)
        func call(
            _ method: String, _ path: String, _ pattern: String, token: String? = nil, json: Any? = nil,
            raw: [UInt8]? = nil, headers: [(name: String, value: String)] = [], tenantHeader: String? = nil
        ) throws -> TestGateway.Reply {
            var headers = headers
            if raw != nil { headers.append(("content-type", "application/json")) }
            let reply = try app.call(
                method, path, tenant: tenantHeader ?? tenant, token: token ?? admin, json: json, rawBody: raw,
                headers: headers)
            check.expect(reply, method, pattern)
            return reply
        }

        let item = try call(
            "POST", "/api/v1/restaurant/menu", "/api/v1/restaurant/menu",
            json: ["name": "Taco", "price_cents": 450, "category": "mains"]
        ).decoded(MenuItem.self).id
        _ = try call("PUT", "/api/v1/inventory/\(item)", "/api/v1/inventory/{item_id}", json: ["quantity": 5])
        let order = try call(
            "POST", "/api/v1/orders", "/api/v1/orders",
            json: [
                "items": [["menu_item_id": item, "quantity": 2]], "payment": ["method": "card", "token": "tok_visa"],
            ])
        #expect(order.status == 201)
        let orderID = try order.decoded(Order.self).id
        for (path, pattern) in [
            ("/health", "/health"), ("/ready", "/ready"), ("/api/v1/auth/me", "/api/v1/auth/me"),
            ("/api/v1/auth/users", "/api/v1/auth/users"), ("/api/v1/restaurant", "/api/v1/restaurant"),
            ("/api/v1/restaurant/menu?include_unavailable=true", "/api/v1/restaurant/menu"),
            ("/api/v1/inventory", "/api/v1/inventory"), ("/api/v1/orders?status=completed&limit=5", "/api/v1/orders"),
            ("/api/v1/orders/\(orderID)", "/api/v1/orders/{id}"),
            ("/api/v1/payments?order_id=\(orderID)", "/api/v1/payments"),
            ("/api/v1/restaurant/kitchen?include_done=true", "/api/v1/restaurant/kitchen"),
        ] {
            #expect(try call("GET", path, pattern).status == 200, "\(path)")
        }
        #expect(try call("POST", "/api/v1/chat", "/api/v1/chat", json: ["message": "menu"]).status == 200)
        #expect(try call("POST", "/api/v1/orders/\(orderID)/cancel", "/api/v1/orders/{id}/cancel").status == 200)
        #expect(try call("DELETE", "/api/v1/restaurant/menu/\(item)", "/api/v1/restaurant/menu/{id}").status == 204)
        #expect(try app.call("GET", "/admin/flags", token: app.opsToken).status == 200)
        check.expect(try app.call("GET", "/admin/flags", token: app.opsToken), "GET", "/admin/flags")
        check.expect(try app.call("GET", "/admin/events?status=all", token: app.opsToken), "GET", "/admin/events")

        // The pipeline's own refusals are among the problems each route lists.
        let refusals: [(Int, String, TestGateway.Reply)] = [
            (400, "missing_tenant", try call("GET", "/api/v1/orders", "/api/v1/orders", tenantHeader: "")),
            (400, "invalid_tenant", try call("GET", "/api/v1/orders", "/api/v1/orders", tenantHeader: "Not A Tenant")),
            (401, "invalid_token", try call("GET", "/api/v1/inventory", "/api/v1/inventory", token: "nonsense")),
            (403, "insufficient_role", try call("GET", "/api/v1/auth/users", "/api/v1/auth/users", token: cashier)),
            (400, "invalid_query", try call("GET", "/api/v1/orders?limit=abc", "/api/v1/orders")),
            (
                400, "invalid_query",
                try call("GET", "/api/v1/restaurant/kitchen?include_done=maybe", "/api/v1/restaurant/kitchen")
            ),
            (400, "malformed_json", try call("POST", "/api/v1/chat", "/api/v1/chat", raw: Array("{".utf8))),
            (
                415, "unsupported_media_type",
                try call(
                    "POST", "/api/v1/chat", "/api/v1/chat", headers: [("content-type", "text/plain")])
            ),
            (
                422, "validation_failed",
                try call("PUT", "/api/v1/inventory/\(item)", "/api/v1/inventory/{item_id}", json: ["quantity": "x"])
            ),
            (404, "order_not_found", try call("GET", "/api/v1/orders/\(UUID())", "/api/v1/orders/{id}")),
            (400, "malformed_request", try call("GET", "/api/v1/orders/%00", "/api/v1/orders/{id}")),
            (
                409, "already_cancelled",
                try call("POST", "/api/v1/orders/\(orderID)/cancel", "/api/v1/orders/{id}/cancel")
            ),
            (401, "missing_token", try app.call("GET", "/admin/events")),
        ]
        for (status, code, reply) in refusals {
            #expect(reply.status == status && reply.code == code, "\(code): \(reply.status) \(reply.code ?? "-")")
        }
        check.expect(refusals.last!.2, "GET", "/admin/events")
    }

    @Test func docsPageIsOneSelfContainedPageOfEveryOperation() throws {
        let document = try fetchDocument()
        let page = try app.call("GET", "/docs")
        #expect(page.status == 200)
        #expect(page.header("content-type") == "text/html; charset=utf-8")
        let html = String(decoding: page.body, as: UTF8.self)
        for path in (document["paths"] as? [String: Any] ?? [:]).keys {
            #expect(html.contains("<code>\(path)</code>"), "\(path)")
        }
        let schemas = (document["components"] as? [String: Any])?["schemas"] as? [String: Any] ?? [:]
        for name in schemas.keys { #expect(html.contains("id=\"schema-\(name)\""), "\(name)") }
        #expect(!html.lowercased().contains("<script"))
        #expect(!html.contains("src="))
        #expect(!html.contains("href=\"http"))
    }

    // MARK: - Helpers

    /// The route table exactly as the gateway builds it, over the test gateway's own modules.
    private func routeTable() -> [Route] {
        let orders = app.gateway.orders
        let sweeper = PaymentsReconciliation(
            pool: app.database.pool(for: "payments"),
            payments: PaymentsService(pool: app.database.pool(for: "payments"), processor: SimulatedCardProcessor()),
            holders: OrderChargeHolders(orders: orders), grace: 60, log: .discard)
        let reconciliation = Reconciliation(sweeper: sweeper, interval: 3600, log: .discard)
        return GatewayRoutes.all(
            modules: ["auth"], ready: { true }, flags: app.gateway.flags, gate: nil,
            flagsChanges: FlagsChanges(
                flags: app.gateway.flags, audit: FlagsAuditLog(database: app.database),
                instances: GatewayInstances(database: app.database), knownModules: Gateway.routedModules,
                contracts: ServiceGate(interfaces: [], describe: { throw TestFailure("no service is asked: \($0)") })),
            events: app.gateway.events,
            metrics: GatewayMetrics(
                flags: app.gateway.flags, pools: [], events: app.gateway.events, recovery: app.gateway.recovery,
                reconciliation: reconciliation, breakers: CircuitBreakers(), shadow: ShadowStats()),
            reconciliation: reconciliation,
            recovery: app.gateway.recovery, logins: LoginThrottle(),
            auth: app.gateway.auth, restaurant: app.gateway.restaurant, inventory: app.gateway.inventory,
            payments: app.gateway.payments, orders: orders, chat: app.gateway.chat)
    }

    private func fetchDocument() throws -> [String: Any] {
        let reply = try app.call("GET", "/openapi.json")
        guard reply.status == 200, !reply.json.isEmpty else { throw TestFailure("/openapi.json: \(reply.status)") }
        return reply.json
    }

    /// `METHOD path` of every operation in the document.
    static func operations(_ document: [String: Any]) -> Set<String> {
        var operations: Set<String> = []
        for (path, methods) in document["paths"] as? [String: [String: Any]] ?? [:] {
            for method in methods.keys { operations.insert("\(method.uppercased()) \(path)") }
        }
        return operations
    }

    static func collectReferences(_ value: Any, into references: inout Set<String>) {
        if let object = value as? [String: Any] {
            if let reference = object["$ref"] as? String { references.insert(reference) }
            for member in object.values { collectReferences(member, into: &references) }
        } else if let array = value as? [Any] {
            for element in array { collectReferences(element, into: &references) }
        }
    }

    /// A reply checked against the operation's documented answer for its status.
    struct Conformance {
        let document: [String: Any]
        let schemas: SchemaConformance

        init(document: [String: Any]) {
            self.document = document
            schemas = SchemaConformance(document: document)
        }

        func expect(
            _ reply: TestGateway.Reply, _ method: String, _ pattern: String,
            sourceLocation: SourceLocation = #_sourceLocation
        ) {
            let operation = ((document["paths"] as? [String: Any])?[pattern] as? [String: Any])?[method.lowercased()]
            let responses = (operation as? [String: Any])?["responses"] as? [String: Any]
            guard let response = responses?[String(reply.status)] as? [String: Any] else {
                Issue.record(
                    "\(method) \(pattern) answered \(reply.status), which it does not list",
                    sourceLocation: sourceLocation)
                return
            }
            guard let content = response["content"] as? [String: Any] else {
                #expect(
                    reply.body.isEmpty, "\(method) \(pattern) \(reply.status) has a body",
                    sourceLocation: sourceLocation)
                return
            }
            let contentType = reply.header("content-type") ?? ""
            guard let media = content[contentType] as? [String: Any], let schema = media["schema"] as? [String: Any]
            else {
                Issue.record(
                    "\(method) \(pattern) \(reply.status) answered \(contentType), not \(content.keys.sorted())",
                    sourceLocation: sourceLocation)
                return
            }
            guard contentType.hasSuffix("json") else { return }
            let body =
                (try? JSONSerialization.jsonObject(with: Data(reply.body), options: .fragmentsAllowed)) ?? NSNull()
            let violations = schemas.violations(of: body, against: schema)
            #expect(
                violations.isEmpty, "\(method) \(pattern) \(reply.status): \(violations)",
                sourceLocation: sourceLocation)
        }
    }
}
