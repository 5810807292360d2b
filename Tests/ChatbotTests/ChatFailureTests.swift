import Chatbot
import ChatbotAPI
import Foundation
import InventoryAPI
import OrdersAPI
import Platform
import RestaurantAPI
import Testing

/// Which facade failures become replies and which fail the request.
@Suite final class ChatFailureTests {
    struct DatabaseDown: Error {}

    let fixture: ChatFixture

    init() throws { fixture = try ChatFixture() }
    deinit { fixture.shutdown() }

    @Test func userErrorsBecomeReplies() throws {
        let failing = ChatService(
            restaurant: FailingRestaurant(error: AccessDenied(needed: .manager)), inventory: fixture.inventory,
            orders: fixture.orders)
        let reply = try failing.reply(ChatFixture.context(), ChatMessage(message: "show the menu"))
        #expect(reply.intent == "menu")
        #expect(reply.json["code"].string == "insufficient_role")
        #expect(reply.reply.hasPrefix("Sorry, your role does not allow that."))

        let missing = ChatService(
            restaurant: FailingRestaurant(error: RestaurantError.menuItemNotFound), inventory: fixture.inventory,
            orders: fixture.orders)
        let price = try missing.reply(ChatFixture.context(), ChatMessage(message: "price of coke"))
        #expect(price.intent == "price")
        #expect(price.json["code"].string == "menu_item_not_found")
    }

    @Test(arguments: [
        DatabaseDown() as any Error,
        Problem.unavailable("database_unavailable", "The database is not answering."),
        Problem.internalError(),
    ])
    func infrastructureFailuresAreRethrown(error: any Error) throws {
        let chat = ChatService(
            restaurant: FailingRestaurant(error: error), inventory: fixture.inventory, orders: fixture.orders)
        for message in ["show the menu", "how much is a burger", "is the burger in stock", "order 2 burgers"] {
            #expect(throws: (any Error).self, "\(message)") {
                try chat.reply(ChatFixture.context(), ChatMessage(message: message))
            }
        }
        // Intents that need no failing module still answer.
        #expect(try chat.reply(ChatFixture.context(), ChatMessage(message: "help")).intent == "help")
    }
}

/// A Restaurant module whose every call fails with `error`.
struct FailingRestaurant: RestaurantFacade {
    let error: any Error

    func profile(_ context: CallContext) throws -> RestaurantProfile { throw error }
    func updateProfile(_ context: CallContext, _ changes: RestaurantProfileChanges) throws -> RestaurantProfile {
        throw error
    }
    func menu(_ context: CallContext, includeUnavailable: Bool) throws -> [MenuItem] { throw error }
    func menuItem(_ context: CallContext, id: String) throws -> MenuItem { throw error }
    func createMenuItem(_ context: CallContext, _ item: NewMenuItem) throws -> MenuItem { throw error }
    func updateMenuItem(_ context: CallContext, id: String, _ changes: MenuItemChanges) throws -> MenuItem {
        throw error
    }
    func deleteMenuItem(_ context: CallContext, id: String) throws { throw error }
    func prices(_ context: CallContext, itemIDs: [String]) throws -> [MenuItem] { throw error }
    func kitchenTickets(_ context: CallContext, includeDone: Bool) throws -> [KitchenTicket] { throw error }
    func openKitchenTicket(_ context: CallContext, _ ticket: NewKitchenTicket) throws -> KitchenTicket { throw error }
    func completeKitchenTicket(_ context: CallContext, id: String) throws -> KitchenTicket { throw error }
}
