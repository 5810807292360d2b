import ChatbotAPI
import InventoryAPI
import Platform
import RestaurantAPI

/// The read-only intents: menu, price, stock.
extension ChatService {
    func menu(_ context: CallContext) throws -> ChatReply {
        let items = try restaurant.menu(context, includeUnavailable: false)
        guard !items.isEmpty else {
            return Self.answer(.menu, "The menu is empty right now.", ["items": .array([])])
        }
        return Self.answer(
            .menu, "Here is our menu: \(Self.list(items.map(Self.priced))).",
            ["items": .array(items.map(ChatData.menuItem))])
    }

    func price(_ context: CallContext, item query: String) throws -> ChatReply {
        let intent = ChatIntent.price(item: query)
        let menu = try restaurant.menu(context, includeUnavailable: true)
        guard !query.isEmpty else {
            let available = menu.filter(\.available)
            guard !available.isEmpty else { return Self.answer(intent, "The menu is empty right now.") }
            return Self.answer(
                intent, "Which item? Our prices: \(Self.list(available.map(Self.priced))).",
                ["items": .array(available.map(ChatData.menuItem))])
        }
        let matcher = MenuMatcher(menu: menu)
        switch matcher.match(query) {
        case .found(let item):
            let price = MoneyText.format(cents: item.priceCents, currency: item.currency)
            let note = item.available ? "" : " It is not available right now, though."
            return Self.answer(intent, "\(item.name) costs \(price).\(note)", ["item": ChatData.menuItem(item)])
        case .ambiguous(let items):
            return Self.answer(
                intent, "Which one do you mean: \(Self.list(items.map(Self.priced), last: "or"))?",
                ["matches": .array(items.map(ChatData.menuItem))])
        case .notFound(let suggestions):
            return Self.notOnMenu(intent, query, suggestions: suggestions, matcher: matcher)
        }
    }

    func stock(_ context: CallContext, item query: String) throws -> ChatReply {
        let intent = ChatIntent.stock(item: query)
        let menu = try restaurant.menu(context, includeUnavailable: true)
        guard !query.isEmpty else { return try stockOverview(context, menu: menu.filter(\.available)) }
        let matcher = MenuMatcher(menu: menu)
        switch matcher.match(query) {
        case .found(let item):
            let level = try inventory.stockLevel(context, menuItemID: item.id)
            let text =
                if !item.available {
                    "\(item.name) is not available right now."
                } else if let level {
                    level.quantity > 0
                        ? "Yes, \(item.name) is in stock: \(level.quantity) left."
                        : "Sorry, \(item.name) is out of stock."
                } else {
                    "Yes, \(item.name) is available (its stock is not counted)."
                }
            return Self.answer(intent, text, ["stock": ChatData.stock(item, level)])
        case .ambiguous(let items):
            return Self.answer(
                intent, "Which one do you mean: \(Self.list(matcher.labels(items), last: "or"))?",
                ["matches": ChatData.labels(matcher.labels(items))])
        case .notFound(let suggestions):
            return Self.notOnMenu(intent, query, suggestions: suggestions, matcher: matcher)
        }
    }

    /// "What's in stock?": every item on the menu with its level.
    private func stockOverview(_ context: CallContext, menu: [MenuItem]) throws -> ChatReply {
        let intent = ChatIntent.stock(item: "")
        guard !menu.isEmpty else { return Self.answer(intent, "The menu is empty right now.", ["items": .array([])]) }
        var levels: [String: StockLevel] = [:]
        for level in try inventory.stockLevels(context) { levels[level.menuItemID] = level }
        let lines = menu.map { item -> String in
            guard let level = levels[item.id] else { return "\(item.name): available" }
            return level.quantity > 0 ? "\(item.name): \(level.quantity) left" : "\(item.name): out of stock"
        }
        return Self.answer(
            intent, "Here is what we have: \(lines.joined(separator: "; ")).",
            ["items": .array(menu.map { ChatData.stock($0, levels[$0.id]) })])
    }

    /// The reply for a name that matched nothing: the closest names, or a
    /// few of the menu's when nothing is close, as `matcher` labels them.
    static func notOnMenu(_ intent: ChatIntent, _ query: String, suggestions: [MenuItem], matcher: MenuMatcher)
        -> ChatReply
    {
        var text = "I couldn't find \(quoted(query)) on the menu."
        if !suggestions.isEmpty {
            text += " Did you mean \(list(matcher.labels(suggestions), last: "or"))?"
        } else if matcher.items.contains(where: \.available) {
            text += " We have \(list(matcher.labels(Array(matcher.items.filter(\.available).prefix(8)))))."
        }
        return answer(
            intent, text, ["requested": .string(query), "suggestions": ChatData.labels(matcher.labels(suggestions))])
    }
}
