import Bootstrap
import Chatbot
import ChatbotAPI
import InventoryAPI
import OrdersAPI
import RestaurantAPI

/// The chat assistant as the rest of Banyan composes it: its descriptor (it
/// owns no data) and its facade, an orchestrator over other modules' facades.
package enum ChatbotModule {
    package static let descriptor: ModuleDescriptor = ModuleDescriptor(name: "chatbot", schema: nil)

    package static func facade(
        restaurant: any RestaurantFacade, inventory: any InventoryFacade, orders: any OrdersFacade
    ) -> any ChatFacade {
        ChatService(restaurant: restaurant, inventory: inventory, orders: orders)
    }
}
