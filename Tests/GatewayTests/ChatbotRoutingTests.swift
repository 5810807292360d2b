import BanyanTestSupport
import Foundation
import OrdersAPI
import Testing

/// Chatbot extracted: a real gateway beside a real `chatbot-service`, which
/// owns no data and opens no database. One tenant's chats are homed in the
/// service, which answers them through Restaurant, Inventory and Orders still
/// homed in the monolith (the gateway's internal listener); another tenant
/// chats in-process. The order a chat places through the service is a real
/// order, seen through the gateway's Orders.
@Suite(.serialized) struct ChatbotRoutingTests {
    @Test func aServiceHomedTenantChatsThroughChatbotServiceWhichReachesTheMonolithsModules() throws {
        let app = try TestGateway()
        let chatbot = try ServiceProcess.start("chatbot-service", beside: app)
        defer { chatbot.stop() }
        let (moved, movedToken) = try app.tenantWithAdmin("c-svc")
        let (stayed, stayedToken) = try app.tenantWithAdmin("c-stay")
        try app.route("chatbot", of: [moved], to: chatbot.url)

        let soup = try app.addMenuItem(tenant: moved, token: movedToken, name: "Soup", priceCents: 650, stock: 5)
        let menu = try app.call("POST", "/api/v1/chat", tenant: moved, token: movedToken, json: ["message": "show the menu"])
        #expect(menu.status == 200, "\(menu.code ?? "")")
        #expect(menu.header("x-banyan-route") == "chatbot=service", "the gateway only called Chatbot")
        #expect(menu.json["intent"] as? String == "menu")
        let items = (menu.json["data"] as? [String: Any])?["items"] as? [[String: Any]]
        #expect(items?.compactMap { $0["name"] as? String } == ["Soup"], "the menu, read from the monolith's Restaurant")
        let menuRequest = try #require(menu.header("x-request-id"))
        #expect(
            app.eventually(within: 10) { chatbot.served(operation: "chatbot.reply", tenant: moved, requestID: menuRequest) },
            "chatbot-service log:\n\(chatbot.log)")

        let placed = try app.call(
            "POST", "/api/v1/chat", tenant: moved, token: movedToken, json: ["message": "order 2 soups"])
        #expect(placed.status == 200, "\(placed.code ?? "")")
        #expect(placed.header("x-banyan-route") == "chatbot=service")
        #expect(placed.json["intent"] as? String == "place_order")
        let number = try #require(
            ((placed.json["data"] as? [String: Any])?["order"] as? [String: Any])?["number"] as? String,
            "an order in the reply: \(placed.json)")
        // The order is Orders' own, in the monolith: the gateway reads it back, and the stock moved.
        let orders = try app.call("GET", "/api/v1/orders", tenant: moved, token: movedToken)
        #expect(orders.status == 200)
        let page = try orders.decoded(OrderPage.self)
        #expect(page.orders.map(\.number) == [number], "\(page)")
        #expect(page.orders.first?.status == .completed && page.orders.first?.paymentMethod == "cash")
        #expect(try app.sellable(tenant: moved, token: movedToken, item: soup) == 3)

        // A tenant nobody moved chats in the gateway, as before.
        _ = try app.addMenuItem(tenant: stayed, token: stayedToken, name: "Stew", priceCents: 900, stock: 2)
        let stayedMenu = try app.call(
            "POST", "/api/v1/chat", tenant: stayed, token: stayedToken, json: ["message": "show the menu"])
        #expect(stayedMenu.status == 200, "\(stayedMenu.code ?? "")")
        let routes = (stayedMenu.header("x-banyan-route") ?? "").components(separatedBy: ", ")
        #expect(routes.contains("chatbot=in-process") && !routes.contains("chatbot=service"), "\(routes)")
        let stayedItems = (stayedMenu.json["data"] as? [String: Any])?["items"] as? [[String: Any]]
        #expect(stayedItems?.compactMap { $0["name"] as? String } == ["Stew"])
        #expect(!chatbot.servedAnything(tenant: stayed), "chatbot-service log:\n\(chatbot.log)")
    }
}
