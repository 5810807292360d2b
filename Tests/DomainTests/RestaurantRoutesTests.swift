import Foundation
import HTTPServer
import Platform
import Restaurant
import RestaurantAPI
import Security
import Testing

@testable import Gateway

/// `/api/v1/restaurant` through the gateway's own pipeline (walls, routing,
/// problem mapping), without a socket: the composition root is not ours.
@Suite struct RestaurantRoutesTests {
    let signer = JWTSigner(secret: SecureRandom.bytes(32))

    func responder(_ service: RestaurantService) -> GatewayResponder {
        GatewayResponder(
            router: Router(RestaurantRoutes.routes(restaurant: service)),
            authentication: EdgeAuthentication(signer: signer, opsToken: SecureRandom.bytes(16)), log: .discard)
    }

    func send(
        _ responder: GatewayResponder, _ method: String, _ target: String, role: Role = .manager,
        tenant: String = "t-rest-a", json: String? = nil
    ) -> (status: Int, body: Any?) {
        let now = Int(Date().timeIntervalSince1970)
        let token = signer.sign(
            JWTClaims(
                subject: "u1", tenant: tenant, role: role.rawValue, username: "sam", issuedAt: now,
                expiresAt: now + 600))
        var headers = HTTPHeaders([("x-tenant-id", tenant), ("authorization", "Bearer " + token)])
        if json != nil { headers.add("content-type", "application/json") }
        let parts = target.split(separator: "?", maxSplits: 1).map(String.init)
        let response = responder.respond(
            to: HTTPRequest(
                method: method, target: target, path: parts[0], query: parts.count > 1 ? parts[1] : "",
                headers: headers, body: Array((json ?? "").utf8)))
        return (response.status, try? JSONSerialization.jsonObject(with: Data(response.body)))
    }

    @Test func menuLifecycleOverHTTP() throws {
        let fixture = try RestaurantFixture()
        defer { fixture.shutdown() }
        let gateway = responder(fixture.service)

        let created = send(
            gateway, "POST", "/api/v1/restaurant/menu",
            json: #"{"name":"Burger","price_cents":1250,"category":"Mains","available":false}"#)
        #expect(created.status == 201)
        let item = try #require(created.body as? [String: Any])
        let id = try #require(item["id"] as? String)
        #expect(item["price_cents"] as? Int == 1250)
        #expect(item["currency"] as? String == "USD")

        #expect((send(gateway, "GET", "/api/v1/restaurant/menu").body as? [Any])?.count == 0)
        #expect((send(gateway, "GET", "/api/v1/restaurant/menu?include_unavailable=true").body as? [Any])?.count == 1)
        #expect(send(gateway, "GET", "/api/v1/restaurant/menu?include_unavailable=maybe").status == 400)

        let patched = send(gateway, "PATCH", "/api/v1/restaurant/menu/\(id)", json: #"{"available":true}"#)
        #expect(patched.status == 200)
        #expect((patched.body as? [String: Any])?["available"] as? Bool == true)
        #expect(send(gateway, "GET", "/api/v1/restaurant/menu/\(id)", role: .cashier).status == 200)

        let refused = send(gateway, "DELETE", "/api/v1/restaurant/menu/\(id)", role: .cashier)
        #expect(refused.status == 403)
        #expect((refused.body as? [String: Any])?["code"] as? String == "insufficient_role")
        #expect(send(gateway, "DELETE", "/api/v1/restaurant/menu/\(id)").status == 204)
        let missing = send(gateway, "GET", "/api/v1/restaurant/menu/\(id)")
        #expect(missing.status == 404)
        #expect((missing.body as? [String: Any])?["code"] as? String == "menu_item_not_found")
        #expect(send(gateway, "GET", "/api/v1/restaurant/menu/not-a-uuid").status == 404)
        #expect(send(gateway, "GET", "/api/v1/restaurant/menu/\(id)", tenant: "t-rest-b").status == 404)
    }

    @Test func badInputIsA422NamingTheField() throws {
        let fixture = try RestaurantFixture()
        defer { fixture.shutdown() }
        let gateway = responder(fixture.service)
        for (json, field) in [
            (#"{"name":"","price_cents":100}"#, "name"), (#"{"name":"Soup","price_cents":-1}"#, "price_cents"),
            (#"{"name":"Soup"}"#, "price_cents"), (#"{"name":"Soup","price_cents":"1"}"#, "price_cents"),
        ] {
            let reply = send(gateway, "POST", "/api/v1/restaurant/menu", json: json)
            #expect(reply.status == 422, "\(json)")
            let problem = reply.body as? [String: Any]
            #expect(problem?["code"] as? String == "validation_failed")
            #expect(
                (problem?["detail"] as? String)?.hasPrefix(field) == true, "\(json): \(String(describing: problem))")
        }
    }

    @Test func profileAndKitchenOverHTTP() throws {
        let fixture = try RestaurantFixture()
        defer { fixture.shutdown() }
        let gateway = responder(fixture.service)
        #expect(
            (send(gateway, "GET", "/api/v1/restaurant", role: .cashier).body as? [String: Any])?["name"] as? String
                == "t-rest-a")
        #expect(send(gateway, "PATCH", "/api/v1/restaurant", role: .cashier, json: #"{"name":"Mine"}"#).status == 403)
        let patched = send(gateway, "PATCH", "/api/v1/restaurant", json: #"{"name":"Fig Tree","currency":"GBP"}"#)
        #expect(patched.status == 200)
        #expect((patched.body as? [String: Any])?["currency"] as? String == "GBP")

        let ticket = try fixture.service.openKitchenTicket(
            RestaurantFixture.context(),
            NewKitchenTicket(orderID: "o-1", orderNumber: "B-000001", items: [.init(name: "Soup", quantity: 2)]))
        let open = send(gateway, "GET", "/api/v1/restaurant/kitchen", role: .cashier)
        #expect(open.status == 200)
        let listed = try #require(open.body as? [[String: Any]])
        #expect(listed.map { $0["id"] as? String } == [ticket.id])
        #expect(listed.first?["order_number"] as? String == "B-000001")

        let done = send(gateway, "POST", "/api/v1/restaurant/kitchen/\(ticket.id)/done", role: .cashier)
        #expect(done.status == 200)
        #expect((done.body as? [String: Any])?["status"] as? String == "done")
        #expect(send(gateway, "POST", "/api/v1/restaurant/kitchen/\(ticket.id)/done", role: .cashier).status == 409)
        #expect((send(gateway, "GET", "/api/v1/restaurant/kitchen").body as? [Any])?.count == 0)
        #expect((send(gateway, "GET", "/api/v1/restaurant/kitchen?include_done=true").body as? [Any])?.count == 1)
        #expect(send(gateway, "POST", "/api/v1/restaurant/kitchen/\(ticket.id)/done", tenant: "t-rest-b").status == 404)
    }
}
