/// Rule-based intent recognition over the words of a message.
///
/// Rules are tried from the most specific to the least: a message that
/// names an order number is about that order, even if it also says "order";
/// "how much" and "in stock" outrank the loose order triggers ("I'd like to
/// know the price of coke" asks a price). Only set look-ups and short phrase
/// scans: linear in the (capped) message, no backtracking.
package enum IntentParser {
    package static func parse(_ message: String) -> ChatIntent {
        let text = ChatText(message)
        let words = text.words
        // Nothing typed is a request for help; only emoji or punctuation is just not understood.
        guard !words.isEmpty else {
            return message.allSatisfy { $0.isWhitespace || $0.isNewline } ? .help : .unknown
        }
        let vocabulary = Set(words)

        if !vocabulary.isDisjoint(with: cancelWords) {
            return .cancelOrder(number: OrderNumberText.find(in: words, bareDigits: true))
        }
        let number = OrderNumberText.find(in: words, bareDigits: false)
        let asksWhere = !vocabulary.isDisjoint(with: whereWords) && vocabulary.contains("order")
        if number != nil || !vocabulary.isDisjoint(with: statusWords) || asksWhere {
            return .orderStatus(number: number ?? OrderNumberText.find(in: words, bareDigits: true))
        }
        if !vocabulary.isDisjoint(with: stockWords) || contains(words, ["how", "many"])
            || contains(words, ["sold", "out"]) || contains(words, ["run", "out"])
        {
            return .stock(item: itemQuery(words))
        }
        if !vocabulary.isDisjoint(with: priceWords) || contains(words, ["how", "much"]) {
            return .price(item: itemQuery(words))
        }
        if let start = orderListStart(text.tokens) {
            let lines = OrderLineParser.parse(text.tokens[start...])
            // "could I get the menu" asks for the menu, not for an item called "menu".
            if !lines.isEmpty, lines.allSatisfy({ menuWords.contains($0.name) }) { return .menu }
            return .placeOrder(lines)
        }
        if !vocabulary.isDisjoint(with: menuWords) { return .menu }
        if haveQuestions.contains(where: { contains(words, $0) }) {
            let item = itemQuery(words)
            return item.isEmpty ? .menu : .stock(item: item)
        }
        if !vocabulary.isDisjoint(with: helpWords) || contains(words, ["what", "can", "you", "do"]) { return .help }
        // "2 burgers and a coke": a list that starts with a number is an order.
        if case .word(let first)? = text.tokens.first, QuantityWord.numeral(first) != nil {
            return .placeOrder(OrderLineParser.parse(text.tokens))
        }
        return .unknown
    }

    static let cancelWords: Set<String> = ["cancel", "void"]
    static let statusWords: Set<String> = ["status", "track", "tracking"]
    static let whereWords: Set<String> = ["where", "ready"]
    static let stockWords: Set<String> = [
        "stock", "left", "remaining", "available", "availability", "inventory", "soldout",
    ]
    static let priceWords: Set<String> = ["price", "prices", "pricing", "cost", "costs"]
    static let menuWords: Set<String> = [
        "menu", "offer", "serve", "sell", "food", "drinks", "dishes", "eat", "items", "list",
    ]
    static let helpWords: Set<String> = ["help", "commands", "hi", "hello", "hey", "start", "howto"]
    static let haveQuestions: [[String]] = [["do", "you", "have"], ["have", "you", "got"], ["got", "any"]]

    /// Phrases after which the rest of the message is the list of items.
    static let orderTriggers: [[String]] = [
        ["order"], ["buy"], ["id", "like"], ["i", "would", "like"], ["wed", "like"], ["we", "would", "like"],
        ["i", "want"], ["we", "want"], ["i", "wanna"], ["ill", "have"], ["ill", "take"], ["i", "will", "have"],
        ["i", "will", "take"], ["can", "i", "have"], ["can", "i", "get"], ["could", "i", "have"],
        ["could", "i", "get"], ["may", "i", "have"], ["can", "we", "have"], ["can", "we", "get"],
        ["give", "me"], ["get", "me"], ["ring", "up"],
    ]

    /// Words that never name an item in a price or stock question.
    static let questionWords: Set<String> = [
        "how", "much", "many", "is", "are", "the", "a", "an", "of", "for", "price", "prices", "pricing", "cost",
        "costs", "does", "do", "did", "what", "whats", "please", "pls", "one", "it", "your", "tell", "me", "i",
        "we", "would", "like", "to", "know", "can", "could", "you", "check", "menu", "on", "in", "stock", "left",
        "remaining", "available", "availability", "inventory", "have", "got", "any", "there", "still", "sold",
        "out", "run", "thanks", "thank", "some", "currently", "right", "now", "today", "we", "be", "will",
        "at", "all", "more", "soldout",
    ]

    /// What a price or stock question is about, with the question words removed.
    static func itemQuery(_ words: [String]) -> String {
        words.filter { !questionWords.contains($0) && QuantityWord.numeral($0) == nil }.joined(separator: " ")
    }

    /// Index of the first token after the earliest order trigger.
    private static func orderListStart(_ tokens: [ChatText.Token]) -> Int? {
        var best: Int?
        for trigger in orderTriggers {
            guard let index = find(trigger, in: tokens) else { continue }
            let end = index + trigger.count
            if best == nil || end < best! { best = end }
        }
        return best
    }

    private static func contains(_ words: [String], _ phrase: [String]) -> Bool {
        guard phrase.count <= words.count else { return false }
        for start in 0...(words.count - phrase.count) where words[start..<(start + phrase.count)].elementsEqual(phrase) {
            return true
        }
        return false
    }

    private static func find(_ phrase: [String], in tokens: [ChatText.Token]) -> Int? {
        guard phrase.count <= tokens.count else { return nil }
        for start in 0...(tokens.count - phrase.count) {
            var matches = true
            for (offset, word) in phrase.enumerated() where tokens[start + offset] != .word(word) {
                matches = false
                break
            }
            if matches { return start }
        }
        return nil
    }
}
