import ChatbotAPI
import OrdersAPI
import Platform
import RestaurantAPI

/// The intents that act on orders: place, status, cancel.
extension ChatService {
    /// More distinct items than this in one message is more likely a paste than an order.
    static let maximumLines = 20
    /// The Orders module's own bound per line; checked here to answer it in words.
    static let quantityRange = 1...1000

    func placeOrder(_ context: CallContext, _ requested: [RequestedLine]) throws -> ChatReply {
        let intent = ChatIntent.placeOrder(requested)
        guard !requested.isEmpty else {
            return Self.answer(intent, "What would you like to order? For example: \"order 2 burgers and a coke\".")
        }
        guard requested.count <= Self.maximumLines else {
            return Self.answer(
                intent, "That is a lot at once: please order at most \(Self.maximumLines) different items per message.")
        }
        if let line = requested.first(where: { !Self.quantityRange.contains($0.quantity) }) {
            return Self.answer(
                intent,
                "I can take 1 to \(Self.quantityRange.upperBound) of an item per order; how many \(Self.quoted(line.name)) did you want?"
            )
        }
        let matcher = MenuMatcher(menu: try restaurant.menu(context, includeUnavailable: false))
        let lines = Self.joinSplitNames(requested, matcher)

        var chosen: [(item: MenuItem, quantity: Int)] = []
        var unclear: [(requested: String, options: [MenuItem], ambiguous: Bool)] = []
        for line in lines {
            switch matcher.match(line.name) {
            case .found(let item):
                if let index = chosen.firstIndex(where: { $0.item.id == item.id }) {
                    chosen[index].quantity += line.quantity
                } else {
                    chosen.append((item, line.quantity))
                }
            case .ambiguous(let items): unclear.append((line.name, items, true))
            case .notFound(let suggestions): unclear.append((line.name, suggestions, false))
            }
        }
        guard unclear.isEmpty else { return Self.askWhichItems(intent, unclear, matcher: matcher) }
        if let line = chosen.first(where: { !Self.quantityRange.contains($0.quantity) }) {
            return Self.answer(
                intent, "That is more than \(Self.quantityRange.upperBound) \(line.item.name) in one order; please order fewer.")
        }

        let request = PlaceOrder(
            items: chosen.map { PlaceOrder.Item(menuItemID: $0.item.id, quantity: $0.quantity) },
            payment: PlaceOrder.Payment(method: "cash"))
        let order: Order
        do {
            order = try orders.place(context, request)
        } catch {
            return try Self.orderRefused(intent, ChatFailure.userProblem(error), items: chosen.map(\.item))
        }
        let total = MoneyText.format(cents: order.totalCents, currency: order.currency)
        return Self.answer(
            intent, "Order \(order.number) placed: \(Self.describeLines(order)). Total \(total), paid in cash.",
            ["order": ChatData.order(order)])
    }

    func orderStatus(_ context: CallContext, number: String?) throws -> ChatReply {
        let intent = ChatIntent.orderStatus(number: number)
        guard let number else {
            return Self.answer(intent, "Which order? Tell me its number, for example \"status of order B-000042\".")
        }
        guard let order = try find(context, number: number) else { return Self.noSuchOrder(intent, number) }
        let total = MoneyText.format(cents: order.totalCents, currency: order.currency)
        let state =
            switch order.status {
            case .pending: "still being placed"
            case .completed: "completed and paid"
            case .paymentFailed: "not paid: the payment failed" + (order.failureCode.map { " (\($0))" } ?? "")
            case .cancelled: "cancelled"
            }
        return Self.answer(
            intent, "Order \(order.number) is \(state): \(Self.describeLines(order)), total \(total).",
            ["order": ChatData.order(order)])
    }

    func cancelOrder(_ context: CallContext, number: String?) throws -> ChatReply {
        let intent = ChatIntent.cancelOrder(number: number)
        guard let number else {
            return Self.answer(intent, "Which order should I cancel? For example \"cancel order B-000042\".")
        }
        guard let order = try find(context, number: number) else { return Self.noSuchOrder(intent, number) }
        let cancelled: Order
        do {
            cancelled = try orders.cancel(context, id: order.id)
        } catch {
            let problem = try ChatFailure.userProblem(error)
            let data: [String: JSONValue] = ["code": .string(problem.code), "order": ChatData.order(order)]
            switch problem.code {
            case "insufficient_role":
                return Self.answer(
                    intent,
                    "Sorry, cancelling an order needs a manager or an admin. Please ask a manager to cancel \(order.number).",
                    data)
            case "already_cancelled":
                return Self.answer(intent, "Order \(order.number) is already cancelled.", data)
            case "not_cancellable":
                return Self.answer(
                    intent,
                    "Order \(order.number) can't be cancelled: it is \(order.status.rawValue.replacingUnderscores), and only completed orders can be.",
                    data)
            case "order_not_found":
                return Self.noSuchOrder(intent, number)
            default:
                return ChatFailure.reply(problem, intent: intent)
            }
        }
        let total = MoneyText.format(cents: cancelled.totalCents, currency: cancelled.currency)
        return Self.answer(
            intent, "Order \(cancelled.number) is cancelled: \(total) refunded and its items put back in stock.",
            ["order": ChatData.order(cancelled)])
    }

    /// Nil when the order does not exist (for this restaurant: another's is the same as none).
    private func find(_ context: CallContext, number: String) throws -> Order? {
        do {
            return try orders.order(context, number: number)
        } catch {
            let problem = try ChatFailure.userProblem(error)
            guard problem.code == "order_not_found" else { throw error }
            return nil
        }
    }

    private static func noSuchOrder(_ intent: ChatIntent, _ number: String) -> ChatReply {
        answer(
            intent, "I couldn't find order \(number).",
            ["code": .string("order_not_found"), "number": .string(number)])
    }

    /// "2 × Burger, 1 × Coke".
    private static func describeLines(_ order: Order) -> String {
        order.items.map { "\($0.quantity) × \($0.name)" }.joined(separator: ", ")
    }

    /// "fish and chips" was split at "and" like any list; put such halves
    /// back together when the whole is exactly a menu item.
    static func joinSplitNames(_ lines: [RequestedLine], _ matcher: MenuMatcher) -> [RequestedLine] {
        var joined: [RequestedLine] = []
        for line in lines {
            if let previous = joined.last, !line.quantityTyped {
                let whole = "\(previous.name) and \(line.name)"
                if matcher.exactMatch(whole) != nil {
                    joined[joined.count - 1].name = whole
                    continue
                }
            }
            joined.append(line)
        }
        return joined
    }

    private static func askWhichItems(
        _ intent: ChatIntent, _ unclear: [(requested: String, options: [MenuItem], ambiguous: Bool)],
        matcher: MenuMatcher
    ) -> ChatReply {
        let menu = matcher.items
        var sentences: [String] = []
        for entry in unclear {
            let names = list(matcher.labels(entry.options), last: "or")
            if entry.ambiguous {
                sentences.append("By \(quoted(entry.requested)) do you mean \(names)?")
            } else if !entry.options.isEmpty {
                sentences.append("I couldn't find \(quoted(entry.requested)) on the menu. Did you mean \(names)?")
            } else {
                sentences.append("I couldn't find \(quoted(entry.requested)) on the menu.")
            }
        }
        if unclear.contains(where: { $0.options.isEmpty }), !menu.isEmpty {
            sentences.append("We have \(list(matcher.labels(Array(menu.prefix(8))))).")
        }
        sentences.append("Nothing was ordered yet.")
        let data: [JSONValue] = unclear.map {
            .object(["requested": .string($0.requested), "suggestions": ChatData.labels(matcher.labels($0.options))])
        }
        return answer(intent, sentences.joined(separator: " "), ["unmatched": .array(data)])
    }

    /// The reply for a checkout the Orders module refused for a reason the user can act on.
    private static func orderRefused(_ intent: ChatIntent, _ problem: Problem, items: [MenuItem]) -> ChatReply {
        let named = ChatFailure.items(problem).map { id in items.first { $0.id == id }?.name ?? id }
        var data: [String: JSONValue] = ["code": .string(problem.code)]
        if !named.isEmpty { data["items"] = .array(named.map(JSONValue.string)) }
        switch problem.code {
        case "out_of_stock":
            return answer(
                intent, "Sorry, we don't have enough \(list(named)) in stock right now. Nothing was ordered.", data)
        case "unknown_items":
            return answer(intent, "Sorry, \(list(named)) can't be ordered right now. Nothing was ordered.", data)
        default:
            if problem.status == 402 {
                if case .string(let number)? = problem.extensions["order_number"] { data["number"] = .string(number) }
                return answer(intent, "Sorry, the payment was not accepted (\(problem.code)). \(problem.detail)", data)
            }
            return ChatFailure.reply(problem, intent: intent)
        }
    }
}

extension String {
    /// "payment_failed" → "payment failed".
    fileprivate var replacingUnderscores: String { split(separator: "_").joined(separator: " ") }
}
