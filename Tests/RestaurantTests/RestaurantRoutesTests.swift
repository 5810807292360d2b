import Foundation
import Platform
import Restaurant
import RestaurantAPI
import Testing

@testable import Gateway

/// `/api/v1/restaurant` through the gateway's own pipeline (walls, routing,
/// problem mapping), without a socket: the composition root is not ours.
@Suite struct RestaurantRoutesTests {
    func harness(_ fixture: RestaurantFixture) -> RouteHarness {
        RouteHarness(RestaurantRoutes.routes(restaurant: fixture.service), tenant: "t-rest-a")
    }

    @Test func menuLifecycleOverHTTP() throws {
        let fixture = try RestaurantFixture()
        defer { fixture.shutdown() }
        let gateway = harness(fixture)

        let created = gateway.send(
            "POST", "/api/v1/restaurant/menu",
            json: #"{"name":"Burger","price_cents":1250,"category":"Mains","available":false}"#)
        #expect(created.status == 201)
        let item = try #require(created.body as? [String: Any])
        let id = try #require(item["id"] as? String)
        #expect(item["price_cents"] as? Int == 1250)
        #expect(item["currency"] as? String == "USD")

        #expect((gateway.send("GET", "/api/v1/restaurant/menu").body as? [Any])?.count == 0)
        #expect((gateway.send("GET", "/api/v1/restaurant/menu?include_unavailable=true").body as? [Any])?.count == 1)
        #expect(gateway.send("GET", "/api/v1/restaurant/menu?include_unavailable=maybe").status == 400)

        let patched = gateway.send("PATCH", "/api/v1/restaurant/menu/\(id)", json: #"{"available":true}"#)
        #expect(patched.status == 200)
        #expect(patched.json["available"] as? Bool == true)
        #expect(gateway.send("GET", "/api/v1/restaurant/menu/\(id)", role: .cashier).status == 200)

        let refused = gateway.send("DELETE", "/api/v1/restaurant/menu/\(id)", role: .cashier)
        #expect(refused.status == 403)
        #expect(refused.code == "insufficient_role")
        #expect(gateway.send("DELETE", "/api/v1/restaurant/menu/\(id)").status == 204)
        let missing = gateway.send("GET", "/api/v1/restaurant/menu/\(id)")
        #expect(missing.status == 404)
        #expect(missing.code == "menu_item_not_found")
        #expect(gateway.send("GET", "/api/v1/restaurant/menu/not-a-uuid").status == 404)
        #expect(gateway.send("GET", "/api/v1/restaurant/menu/\(id)", tenant: "t-rest-b").status == 404)
    }

    @Test func badInputIsA422NamingTheField() throws {
        let fixture = try RestaurantFixture()
        defer { fixture.shutdown() }
        let gateway = harness(fixture)
        for (json, field) in [
            (#"{"name":"","price_cents":100}"#, "name"), (#"{"name":"Soup","price_cents":-1}"#, "price_cents"),
            (#"{"name":"Soup"}"#, "price_cents"), (#"{"name":"Soup","price_cents":"1"}"#, "price_cents"),
        ] {
            let reply = gateway.send("POST", "/api/v1/restaurant/menu", json: json)
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
        let gateway = harness(fixture)
        #expect(gateway.send("GET", "/api/v1/restaurant", role: .cashier).json["name"] as? String == "t-rest-a")
        #expect(gateway.send("PATCH", "/api/v1/restaurant", role: .cashier, json: #"{"name":"Mine"}"#).status == 403)
        let patched = gateway.send("PATCH", "/api/v1/restaurant", json: #"{"name":"Fig Tree","currency":"GBP"}"#)
        #expect(patched.status == 200)
        #expect(patched.json["currency"] as? String == "GBP")

        let ticket = try fixture.service.openKitchenTicket(
            RestaurantFixture.context(),
            NewKitchenTicket(orderID: "o-1", orderNumber: "B-000001", items: [.init(name: "Soup", quantity: 2)]))
        let open = gateway.send("GET", "/api/v1/restaurant/kitchen", role: .cashier)
        #expect(open.status == 200)
        let listed = try #require(open.body as? [[String: Any]])
        #expect(listed.map { $0["id"] as? String } == [ticket.id])
        #expect(listed.first?["order_number"] as? String == "B-000001")

        let done = gateway.send("POST", "/api/v1/restaurant/kitchen/\(ticket.id)/done", role: .cashier)
        #expect(done.status == 200)
        #expect(done.json["status"] as? String == "done")
        #expect(gateway.send("POST", "/api/v1/restaurant/kitchen/\(ticket.id)/done", role: .cashier).status == 409)
        #expect((gateway.send("GET", "/api/v1/restaurant/kitchen").body as? [Any])?.count == 0)
        #expect((gateway.send("GET", "/api/v1/restaurant/kitchen?include_done=true").body as? [Any])?.count == 1)
        #expect(gateway.send("POST", "/api/v1/restaurant/kitchen/\(ticket.id)/done", tenant: "t-rest-b").status == 404)
    }
}
