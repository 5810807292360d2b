/// How many of an item a word asks for: digits ("2", "2x", "x2"), the words
/// one to twelve, and "a"/"an" for one.
package enum QuantityWord {
    /// Stands for any typed number too large to be a real quantity; the
    /// service answers it politely instead of ordering.
    package static let tooLarge = Int.max
    /// Stands for any typed negative number.
    package static let negative = -1

    private static let words: [String: Int] = [
        "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
        "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    ]

    /// The quantity `word` stands for, including the article "a"/"an".
    package static func value(_ word: String) -> Int? {
        if word == "a" || word == "an" { return 1 }
        return numeral(word)
    }

    /// Like `value`, without the articles: a word that starts a new item even
    /// in the middle of a list ("2 burgers 1 coke").
    package static func numeral(_ word: String) -> Int? {
        if let value = words[word] { return value }
        var digits = Substring(word)
        // "-1": a number, and never a quantity the service will accept.
        if digits.first == "-", digits.count > 1, digits.dropFirst().allSatisfy({ ("0"..."9").contains($0) }) {
            return negative
        }
        if digits.hasSuffix("x") {
            digits = digits.dropLast()
        } else if digits.hasPrefix("x") {
            digits = digits.dropFirst()
        }
        guard !digits.isEmpty, digits.allSatisfy({ ("0"..."9").contains($0) }) else { return nil }
        // Seven digits is already far beyond any order line; never overflow.
        guard digits.count <= 7 else { return tooLarge }
        return Int(digits)
    }
}
