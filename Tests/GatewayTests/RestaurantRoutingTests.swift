import BanyanTestSupport
import Foundation
import OrdersAPI
import Platform
import RestaurantAPI
import Testing

/// Restaurant extracted: a real gateway and a real `restaurant-service`
/// child process over one PostgreSQL, one tenant's restaurant calls routed
/// to the service by flags.json while another's stay in-process — the HTTP
/// routes and the kitchen's `OrderPlaced` subscription alike.
@Suite(.serialized) struct RestaurantRoutingTests {
    let app: TestGateway
    init() throws { app = try TestGateway() }

    @Test func aServiceHomedTenantsMenuAndKitchenAreServedByRestaurantServiceWhileAnotherStaysInProcess() throws {
        let service = try ServiceProcess.start("restaurant-service", beside: app)
        defer { service.stop() }
        let (moved, movedToken) = try app.tenantWithAdmin("r-moved")
        let (stayed, stayedToken) = try app.tenantWithAdmin("r-stayed")
        try app.route("restaurant", of: [moved], to: service.url)

        let movedCreated = try app.call(
            "POST", "/api/v1/restaurant/menu", tenant: moved, token: movedToken,
            json: ["name": "Soup", "price_cents": 650, "category": "Starters"])
        let stayedCreated = try app.call(
            "POST", "/api/v1/restaurant/menu", tenant: stayed, token: stayedToken,
            json: ["name": "Stew", "price_cents": 900])
        #expect(movedCreated.status == 201, "\(movedCreated.code ?? "")")
        #expect(stayedCreated.status == 201, "\(stayedCreated.code ?? "")")
        #expect(servedBy(movedCreated) == "service")
        #expect(servedBy(stayedCreated) == "in-process")
        let soup = try movedCreated.decoded(MenuItem.self)
        let stew = try stayedCreated.decoded(MenuItem.self)

        let movedMenu = try app.call("GET", "/api/v1/restaurant/menu", tenant: moved, token: movedToken)
        let stayedMenu = try app.call("GET", "/api/v1/restaurant/menu", tenant: stayed, token: stayedToken)
        #expect(movedMenu.status == 200, "\(movedMenu.code ?? "")")
        #expect(stayedMenu.status == 200, "\(stayedMenu.code ?? "")")
        #expect(servedBy(movedMenu) == "service")
        #expect(servedBy(stayedMenu) == "in-process")
        #expect(try movedMenu.decoded([MenuItem].self) == [soup])
        #expect(try stayedMenu.decoded([MenuItem].self) == [stew])

        // The child served the moved tenant's menu, and never anything of the other tenant's.
        let menuRequest = try #require(movedMenu.header("x-request-id"))
        #expect(
            app.eventually(within: 5) { service.served(operation: "restaurant.menu", tenant: moved, requestID: menuRequest) },
            "restaurant-service log:\n\(service.log)")
        #expect(!service.servedAnything(tenant: stayed), "restaurant-service log:\n\(service.log)")

        // A checkout prices through the tenant's home, and OrderPlaced opens
        // the kitchen ticket there too: the subscription routes like a request.
        let movedOrder = try app.placeOrder(tenant: moved, token: movedToken, items: [(soup.id, 2)])
        let stayedOrder = try app.placeOrder(tenant: stayed, token: stayedToken, items: [(stew.id, 1)])
        #expect(movedOrder.status == 201, "\(movedOrder.code ?? "")")
        #expect(stayedOrder.status == 201, "\(stayedOrder.code ?? "")")
        #expect(servedBy(movedOrder) == "service")
        #expect(servedBy(stayedOrder) == "in-process")
        let movedTicket = try awaitTicket(for: try movedOrder.decoded(Order.self), tenant: moved, token: movedToken)
        let stayedTicket = try awaitTicket(for: try stayedOrder.decoded(Order.self), tenant: stayed, token: stayedToken)
        #expect(movedTicket.items == [KitchenTicket.Line(name: "Soup", quantity: 2)])
        #expect(stayedTicket.items == [KitchenTicket.Line(name: "Stew", quantity: 1)])
        #expect(
            app.eventually(within: 5) {
                service.served(operation: "restaurant.open_kitchen_ticket", tenant: moved, requestID: nil)
            }, "restaurant-service log:\n\(service.log)")
        #expect(!service.servedAnything(tenant: stayed), "restaurant-service log:\n\(service.log)")

        // Completing the ticket goes through the service as well.
        let done = try app.call(
            "POST", "/api/v1/restaurant/kitchen/\(movedTicket.id)/done", tenant: moved, token: movedToken)
        #expect(done.status == 200, "\(done.code ?? "")")
        #expect(servedBy(done) == "service")
        #expect(try done.decoded(KitchenTicket.self).status == .done)
    }

    /// The path `x-banyan-route` names for Restaurant ("service", "in-process"), or what else it says.
    private func servedBy(_ reply: TestGateway.Reply) -> String {
        let routes = (reply.header("x-banyan-route") ?? "").split(separator: ",").map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        let restaurant = routes.filter { $0.hasPrefix("restaurant=") }
        return restaurant.count == 1 ? String(restaurant[0].dropFirst("restaurant=".count)) : "\(routes)"
    }

    /// Waits (bounded) for the kitchen ticket of `order`, read through the gateway.
    private func awaitTicket(for order: Order, tenant: String, token: String) throws -> KitchenTicket {
        var ticket: KitchenTicket?
        _ = try app.eventually(within: 10) {
            let tickets = try app.call("GET", "/api/v1/restaurant/kitchen", tenant: tenant, token: token)
            ticket = try tickets.decoded([KitchenTicket].self).first { $0.orderID == order.id }
            return ticket != nil
        }
        return try #require(ticket, "no kitchen ticket for order \(order.number) of \(tenant)")
    }
}
