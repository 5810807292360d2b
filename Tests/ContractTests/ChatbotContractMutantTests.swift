import ChatbotAPI
import ChatbotContract
import Contract
import Facade
import InventoryAPI
import OrdersAPI
import Platform
import RestaurantAPI
import Testing

// Chatbot's suite must catch a provider that breaks a rule: each mutant
// wraps the real in-process module (its menu, stock and orders in the
// fixture's Restaurant, Inventory and Orders, as the suite arranges them)
// and breaks one thing.

extension ModuleContractTests {
    /// The Chatbot cases that fail against `mutate` of the fixture's in-process Chatbot.
    static func chatbotFailures(_ mutate: (any ChatFacade) -> any ChatFacade) throws -> Set<String> {
        let local = try ContractFixture.require("chatbot").local
        let provider = ChatbotContract.Provider(
            chat: mutate(ChatbotClient(transport: local)), restaurant: RestaurantClient(transport: local),
            inventory: InventoryClient(transport: local), orders: OrdersClient(transport: local))
        return Set(ContractRunner.run(ChatbotContract.cases, against: provider).filter { !$0.passed }.map(\.name))
    }

    @Test func aChatbotThatActsAsAnAdminFailsExactlyTheCancelCase() throws {
        let failed = try Self.chatbotFailures { ChatsAsAdmin(base: $0) }
        #expect(
            failed == [
                "cancel by chat needs a manager: a cashier hears insufficient_role, a manager cancels, twice is already_cancelled"
            ])
    }

    @Test func aChatbotThatCutsOversizeMessagesInsteadOfRefusingThemFailsExactlyTheValidationCase() throws {
        let failed = try Self.chatbotFailures { CutsLongMessages(base: $0) }
        #expect(
            failed == [
                "a message over 10 KB is validation_failed naming message, and nothing is ordered; an empty one gets help"
            ])
    }
}

/// Answers every message with an admin's rights, whoever asks.
struct ChatsAsAdmin: ChatFacade {
    let base: any ChatFacade
    func reply(_ context: CallContext, _ message: ChatMessage) throws -> ChatReply {
        var elevated = context
        elevated.role = .admin
        return try base.reply(elevated, message)
    }
}

/// Reads only the first `ChatMessage.maximumBytes` of a message, as if any length were fine.
struct CutsLongMessages: ChatFacade {
    let base: any ChatFacade
    func reply(_ context: CallContext, _ message: ChatMessage) throws -> ChatReply {
        let cut = String(decoding: message.message.utf8.prefix(ChatMessage.maximumBytes), as: UTF8.self)
        return try base.reply(context, ChatMessage(message: cut))
    }
}
