import ChatbotAPI
import Contract
import InventoryAPI
import OrdersAPI
import Platform
import RestaurantAPI

/// What any provider of `ChatFacade` must do, written once: Chatbot in this
/// process and `chatbot-service` started by the tests.
///
/// The assistant owns no data: it answers from the menu Restaurant keeps,
/// the stock Inventory keeps and the orders Orders keeps, as the caller. So
/// a case arranges a menu and stock through those modules, and checks what
/// a chat did through Orders — the ones the provider under test calls for
/// the same tenant. The provider is reached through one transport that
/// carries the operations of all four (`Provider`): Chatbot's to the
/// provider under test, the others' to where that provider reaches them.
///
/// Replies are checked by their `intent` and structured `data`, which
/// clients read; the wording of `reply` may change.
public enum ChatbotContract {
    public struct Provider: Sendable {
        public let chat: any ChatFacade
        /// Where the case writes its menu: the Restaurant the provider reads.
        public let restaurant: any RestaurantFacade
        /// Where the case stocks its menu: the Inventory the provider checks.
        public let inventory: any InventoryFacade
        /// Where the case checks (and places) orders: the Orders the provider orders through.
        public let orders: any OrdersFacade

        public init(
            chat: any ChatFacade, restaurant: any RestaurantFacade, inventory: any InventoryFacade,
            orders: any OrdersFacade
        ) {
            self.chat = chat
            self.restaurant = restaurant
            self.inventory = inventory
            self.orders = orders
        }
    }

    public typealias Case = ContractCase<Provider>

    /// Every case, in the order a runner runs them.
    public static let cases: [Case] = menu + ordering + orderStatus + cancel + refusals + validation + isolation

    /// An available menu item with `stock` of it on hand, set up by a manager.
    static func stocked(
        _ provider: Provider, _ env: ContractEnvironment, _ name: String, cents: Int64 = 450, stock: Int = 10
    ) throws -> MenuItem {
        let item = try provider.restaurant.createMenuItem(
            env.manager, NewMenuItem(name: name, priceCents: cents, currency: "USD"))
        _ = try provider.inventory.setStock(env.manager, menuItemID: item.id, SetStock(quantity: stock))
        return item
    }

    /// The assistant's reply to `message` from `context`, expected under `intent`.
    static func ask(
        _ provider: Provider, _ context: CallContext, _ message: String, intent: String
    ) throws -> ChatReply {
        let reply = try provider.chat.reply(context, ChatMessage(message: message))
        try Expect.equal(reply.intent, intent, "the intent of \"\(message)\"")
        try Expect.that(!reply.reply.isEmpty, "a reply in words to \"\(message)\"")
        return reply
    }

    /// The stock on hand of `item`.
    static func onHand(_ provider: Provider, _ env: ContractEnvironment, _ item: MenuItem) throws -> Int {
        try Expect.some(try provider.inventory.stockLevel(env.manager, menuItemID: item.id), "stock of \(item.name)")
            .quantity
    }

    /// How many orders the tenant of `context` has.
    static func orderCount(_ provider: Provider, _ context: CallContext) throws -> Int {
        try provider.orders.orders(context, OrderQuery()).total
    }

    /// The member of `data` at `path` (object keys, or array indices as digits).
    static func member(_ data: JSONValue?, _ path: String...) -> JSONValue? {
        var value = data
        for step in path {
            switch value {
            case .object(let members)?: value = members[step]
            case .array(let values)?:
                guard let index = Int(step), values.indices.contains(index) else { return nil }
                value = values[index]
            default: return nil
            }
        }
        return value
    }

    /// The text at `path` in `data`, if it is text.
    static func text(_ data: JSONValue?, _ path: String...) -> String? {
        var value = data
        for step in path { value = member(value, step) }
        if case .string(let text)? = value { return text }
        return nil
    }

    /// The `name` of each object in the array at `key` of `data`.
    static func names(_ data: JSONValue?, _ key: String) -> [String] {
        guard case .array(let values)? = member(data, key) else { return [] }
        return values.compactMap { text($0, "name") }
    }
}
