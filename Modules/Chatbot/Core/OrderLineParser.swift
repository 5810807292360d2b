/// Reads the list part of an order ("2 burgers and a coke, three fries")
/// into requested lines. Pure: it knows words, not the menu.
package enum OrderLineParser {
    /// Words between lines ("2 burgers and a coke"), beside the punctuation separators.
    static let conjunctions: Set<String> = ["and", "plus"]
    /// Words around an item's name that are not part of it.
    static let leadingFillers: Set<String> = [
        "of", "the", "some", "more", "please", "pls", "x", "order", "to", "for", "me", "us", "get", "have",
        "my", "our", "another", "also", "just", "then", "with", "place", "buy",
    ]
    static let trailingFillers: Set<String> = [
        "please", "pls", "thanks", "thank", "thx", "you", "too", "also", "each", "now", "then", "in", "cash",
    ]

    package static func parse(_ tokens: some Collection<ChatText.Token>) -> [RequestedLine] {
        var lines: [RequestedLine] = []
        var group: [String] = []
        for token in tokens {
            switch token {
            case .separator:
                lines += parseGroup(group)
                group = []
            case .word(let word) where conjunctions.contains(word):
                lines += parseGroup(group)
                group = []
            case .word(let word):
                group.append(word)
            }
        }
        lines += parseGroup(group)
        return lines
    }

    /// One separator-delimited group; a number between two names starts
    /// another line, so "2 burgers 1 coke" is two lines but "coke x3" is one.
    private static func parseGroup(_ words: [String]) -> [RequestedLine] {
        var lines: [RequestedLine] = []
        var start = 0
        for index in words.indices where QuantityWord.numeral(words[index]) != nil {
            let nameBefore = words[start..<index].contains { !isFillerOrQuantity($0) }
            let nameAfter = words[(index + 1)...].contains { !isFillerOrQuantity($0) && !trailingFillers.contains($0) }
            guard nameBefore, nameAfter else { continue }
            if let line = parseLine(words[start..<index]) { lines.append(line) }
            start = index
        }
        if let line = parseLine(words[start...]) { lines.append(line) }
        return lines
    }

    private static func parseLine(_ words: ArraySlice<String>) -> RequestedLine? {
        var words = words
        var quantity = 1
        var typed = false
        // The last number before the name wins: "an order for two burgers" is 2.
        while true {
            while let first = words.first, leadingFillers.contains(first) { words = words.dropFirst() }
            guard let first = words.first, let value = QuantityWord.value(first) else { break }
            quantity = value
            typed = true
            words = words.dropFirst()
        }
        while let last = words.last, trailingFillers.contains(last) { words = words.dropLast() }
        if !typed, words.count > 1, let last = words.last, let value = QuantityWord.numeral(last) {
            // "burger x2", "coke 3"
            quantity = value
            typed = true
            words = words.dropLast()
            while let last = words.last, trailingFillers.contains(last) { words = words.dropLast() }
        }
        guard !words.isEmpty else { return nil }
        return RequestedLine(quantity: quantity, name: words.joined(separator: " "), quantityTyped: typed)
    }

    private static func isFillerOrQuantity(_ word: String) -> Bool {
        leadingFillers.contains(word) || QuantityWord.value(word) != nil
    }
}
