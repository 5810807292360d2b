/// Order numbers as people type them: "B-42", "b42", "B-000042" all mean
/// `B-000042`, the form the Orders module stores.
package enum OrderNumberText {
    /// Order numbers have at least this many digits, zero-padded.
    static let minimumDigits = 6
    /// More digits than any restaurant will reach; longer is not a number.
    static let maximumDigits = 9

    /// The normalized number for one word ("b-42", "b000042"), or nil.
    package static func normalize(_ word: String) -> String? {
        var rest = Substring(word.lowercased())
        guard rest.first == "b" else { return nil }
        rest = rest.dropFirst()
        if rest.first == "-" { rest = rest.dropFirst() }
        return digits(rest)
    }

    /// The first order number among `words`. With `bareDigits`, a plain
    /// number ("cancel order 42") counts too, but only after no B-number was found.
    package static func find(in words: [String], bareDigits: Bool) -> String? {
        for word in words {
            if let number = normalize(word) { return number }
        }
        guard bareDigits else { return nil }
        for word in words {
            if let number = digits(Substring(word)) { return number }
        }
        return nil
    }

    private static func digits(_ text: Substring) -> String? {
        guard (1...maximumDigits).contains(text.count), text.allSatisfy({ ("0"..."9").contains($0) }) else { return nil }
        let significant = text.drop { $0 == "0" }
        guard !significant.isEmpty else { return nil }
        return "B-" + String(repeating: "0", count: max(0, minimumDigits - significant.count)) + significant
    }
}
