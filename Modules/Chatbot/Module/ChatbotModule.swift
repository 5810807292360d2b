import Bootstrap
import Chatbot
import ChatbotAPI
import ChatbotContract
import Contract
import Facade
import InventoryAPI
import OrdersAPI
import RestaurantAPI

/// The chat assistant as the rest of Banyan composes it: its descriptor
/// (what every process and tool reads) and its facade. It owns no data, so
/// it has no schema and its service opens no database. It answers through
/// Restaurant, Inventory and Orders, which it reaches by their interfaces
/// from its host, never by their Cores, so in any process that hosts it
/// those calls go to each module's home for the tenant.
package enum ChatbotModule {
    package static let descriptor: ModuleDescriptor = ModuleDescriptor(
        name: "chatbot", schema: nil,
        service: ServiceDescriptor(
            executable: "chatbot-service", defaultPort: 4006, interface: ChatbotOperations.interface,
            contract: ContractSuite(cases: ChatbotContract.cases, client: contractProvider)
        ) { host in implementation(in: host).operations() })

    /// Chatbot for code in `host`: calls go where the host routes them.
    package static func facade(in host: ModuleHost) -> any ChatFacade {
        client(host.transport(to: descriptor))
    }

    /// `ChatFacade` over any transport to Chatbot's operations.
    @Sendable package static func client(_ transport: any Transport) -> any ChatFacade {
        ChatbotClient(transport: transport)
    }

    /// The contract's provider over one transport that carries Chatbot's
    /// operations and those of the modules its cases arrange and check data in.
    @Sendable static func contractProvider(_ transport: any Transport) -> ChatbotContract.Provider {
        ChatbotContract.Provider(
            chat: ChatbotClient(transport: transport), restaurant: RestaurantClient(transport: transport),
            inventory: InventoryClient(transport: transport), orders: OrdersClient(transport: transport))
    }

    private static func implementation(in host: ModuleHost) -> ChatService {
        ChatService(
            restaurant: RestaurantClient(transport: host.transport(to: RestaurantOperations.interface)),
            inventory: InventoryClient(transport: host.transport(to: InventoryOperations.interface)),
            orders: OrdersClient(transport: host.transport(to: OrdersOperations.interface)))
    }
}
