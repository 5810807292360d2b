import ChatbotAPI
import InventoryAPI
import OrdersAPI
import Platform
import RestaurantAPI

/// The chat assistant: understands a message by rules (no external
/// service), then answers it through the other modules' facades.
///
/// Every facade call carries the caller's own `CallContext`, so the
/// assistant can never do more than the caller could through the API: a
/// cashier asking to cancel meets the same 403 as at `POST /orders/{id}/cancel`,
/// and hears about it in a reply. Sendable because it holds only immutable
/// references to Sendable facades.
package final class ChatService: ChatFacade {
    let restaurant: any RestaurantFacade
    let inventory: any InventoryFacade
    let orders: any OrdersFacade

    package init(restaurant: any RestaurantFacade, inventory: any InventoryFacade, orders: any OrdersFacade) {
        self.restaurant = restaurant
        self.inventory = inventory
        self.orders = orders
    }

    package func reply(_ context: CallContext, _ message: ChatMessage) throws -> ChatReply {
        let intent = IntentParser.parse(message.message)
        do {
            switch intent {
            case .help:
                return Self.answer(intent, Self.capabilities, ["examples": Self.examples])
            case .unknown:
                return Self.answer(
                    intent, "Sorry, I didn't understand that. " + Self.capabilities, ["examples": Self.examples])
            case .menu:
                return try menu(context)
            case .price(let item):
                return try price(context, item: item)
            case .stock(let item):
                return try stock(context, item: item)
            case .placeOrder(let lines):
                return try placeOrder(context, lines)
            case .orderStatus(let number):
                return try orderStatus(context, number: number)
            case .cancelOrder(let number):
                return try cancelOrder(context, number: number)
            }
        } catch {
            return ChatFailure.reply(try ChatFailure.userProblem(error), intent: intent)
        }
    }

    static let capabilities = """
        I can show the menu ("show the menu"), tell a price ("how much is the burger"), check stock \
        ("is the burger in stock"), place a cash order ("order 2 burgers and a coke"), look up an order \
        ("status of order B-000042") and cancel one ("cancel order B-000042", managers only).
        """

    static let examples: JSONValue = .array(
        [
            "show the menu", "how much is the burger", "is the burger in stock", "order 2 burgers and a coke",
            "status of order B-000042", "cancel order B-000042",
        ].map(JSONValue.string))

    static func answer(_ intent: ChatIntent, _ text: String, _ data: [String: JSONValue]? = nil) -> ChatReply {
        ChatReply(intent: intent.name, reply: text, data: data.map(JSONValue.object))
    }

    /// What the user typed, quoted and cut short, for replies that echo it.
    static func quoted(_ text: String) -> String {
        let limit = 60
        let scalars = text.unicodeScalars
        guard scalars.count > limit else { return "\"\(text)\"" }
        return "\"\(String(String.UnicodeScalarView(scalars.prefix(limit))))…\""
    }

    /// "Burger (8.50 USD)".
    static func priced(_ item: MenuItem) -> String {
        "\(item.name) (\(MoneyText.format(cents: item.priceCents, currency: item.currency)))"
    }

    /// "a, b or c".
    static func list(_ names: [String], last conjunction: String = "and") -> String {
        guard names.count > 1 else { return names.first ?? "" }
        return names.dropLast().joined(separator: ", ") + " \(conjunction) " + names.last!
    }
}
