import GatewayTestSupport
import BanyanTestSupport
import Foundation
import Platform
import Restaurant
import RestaurantAPI
import Testing

@testable import Gateway

/// `/api/v1/restaurant` through the gateway's own pipeline (walls, routing,
/// problem mapping), without a socket: the composition root is not ours.
@Suite final class RestaurantRoutesTests {
    let fixture: RestaurantFixture
    let gateway: RouteHarness

    init() throws {
        fixture = try RestaurantFixture()
        gateway = RouteHarness(RestaurantRoutes.routes(restaurant: fixture.service), tenant: "t-rest-a")
    }

    deinit { fixture.shutdown() }

    @Test func menuLifecycleOverHTTP() throws {
        let created = gateway.send(
            "POST", "/api/v1/restaurant/menu",
            json: #"{"name":"Burger","price_cents":1250,"category":"Mains","available":false}"#)
        #expect(created.status == 201)
        let item = try created.decoded(MenuItem.self)
        let id = item.id
        #expect(item.priceCents == 1250)
        #expect(item.currency == "USD")

        #expect(try gateway.send("GET", "/api/v1/restaurant/menu").decoded([MenuItem].self).isEmpty)
        #expect(
            try gateway.send("GET", "/api/v1/restaurant/menu?include_unavailable=true").decoded([MenuItem].self)
                == [item])
        #expect(gateway.send("GET", "/api/v1/restaurant/menu?include_unavailable=maybe").status == 400)

        let patched = gateway.send("PATCH", "/api/v1/restaurant/menu/\(id)", json: #"{"available":true}"#)
        #expect(patched.status == 200)
        #expect(try patched.decoded(MenuItem.self).available)
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
        for (json, field) in [
            (#"{"name":"","price_cents":100}"#, "name"), (#"{"name":"Soup","price_cents":-1}"#, "price_cents"),
            (#"{"name":"Soup"}"#, "price_cents"), (#"{"name":"Soup","price_cents":"1"}"#, "price_cents"),
        ] {
            let reply = gateway.send("POST", "/api/v1/restaurant/menu", json: json)
            #expect(reply.status == 422, "\(json)")
            #expect(reply.code == "validation_failed")
            #expect(reply.detail?.hasPrefix(field) == true, "\(json): \(String(describing: reply.detail))")
        }
    }

    @Test func profileAndKitchenOverHTTP() throws {
        #expect(
            try gateway.send("GET", "/api/v1/restaurant", role: .cashier).decoded(RestaurantProfile.self).name
                == "t-rest-a")
        #expect(gateway.send("PATCH", "/api/v1/restaurant", role: .cashier, json: #"{"name":"Mine"}"#).status == 403)
        let patched = gateway.send("PATCH", "/api/v1/restaurant", json: #"{"name":"Fig Tree","currency":"GBP"}"#)
        #expect(patched.status == 200)
        #expect(try patched.decoded(RestaurantProfile.self).currency == "GBP")

        let ticket = try fixture.service.openKitchenTicket(
            RestaurantFixture.context(),
            NewKitchenTicket(orderID: "o-1", orderNumber: "B-000001", items: [.init(name: "Soup", quantity: 2)]))
        let open = gateway.send("GET", "/api/v1/restaurant/kitchen", role: .cashier)
        #expect(open.status == 200)
        let listed = try open.decoded([KitchenTicket].self)
        #expect(listed.map(\.id) == [ticket.id])
        #expect(listed.first?.orderNumber == "B-000001")

        let done = gateway.send("POST", "/api/v1/restaurant/kitchen/\(ticket.id)/done", role: .cashier)
        #expect(done.status == 200)
        #expect(try done.decoded(KitchenTicket.self).status == .done)
        #expect(gateway.send("POST", "/api/v1/restaurant/kitchen/\(ticket.id)/done", role: .cashier).status == 409)
        #expect(try gateway.send("GET", "/api/v1/restaurant/kitchen").decoded([KitchenTicket].self).isEmpty)
        #expect(
            try gateway.send("GET", "/api/v1/restaurant/kitchen?include_done=true").decoded([KitchenTicket].self)
                .count == 1)
        #expect(gateway.send("POST", "/api/v1/restaurant/kitchen/\(ticket.id)/done", tenant: "t-rest-b").status == 404)
    }
}
