import Foundation

/// A chat message cut into lower-case words and list separators, the only
/// form the intent rules look at.
///
/// The message is user text of any shape, so the work is bounded before
/// anything else: only the first `interpretedScalars` Unicode scalars are
/// read (scalars, not characters, because one character can hold any number
/// of combining marks). Everything that is not a letter, a digit, an inner
/// hyphen or a list separator (emoji, quotes, SQL punctuation, control
/// characters) is just a word break.
package struct ChatText: Sendable, Equatable {
    package static let interpretedScalars = 500

    package enum Token: Sendable, Equatable {
        case word(String)
        /// `,` `;` `&` `+` `.` `!` `?` `/`: where one item of a list ends.
        case separator
    }

    package let tokens: [Token]

    package init(_ message: String) {
        var capped = String.UnicodeScalarView()
        for scalar in message.unicodeScalars.prefix(Self.interpretedScalars) { capped.append(scalar) }
        // Lower-cased and composed (NFC) so "Café" typed either way is one word.
        let text = String(capped).lowercased().precomposedStringWithCanonicalMapping
        tokens = Self.tokenize(text)
    }

    /// The words alone, separators dropped.
    package var words: [String] {
        tokens.compactMap { if case .word(let word) = $0 { word } else { nil } }
    }

    private static func tokenize(_ text: String) -> [Token] {
        var tokens: [Token] = []
        var word = String.UnicodeScalarView()

        func flush() {
            while word.last == "-" { word.removeLast() }
            while word.first == "-", word.dropFirst().first.map({ !("0"..."9").contains($0) }) ?? false {
                word.removeFirst()
            }
            if !word.isEmpty { tokens.append(.word(String(word))) }
            word = String.UnicodeScalarView()
        }

        for scalar in text.unicodeScalars {
            if isWordScalar(scalar) {
                word.append(scalar)
            } else if isMark(scalar) {
                // Marks belong to the letter they follow.
                if !word.isEmpty { word.append(scalar) }
            } else if scalar == "-" {
                // Hyphens join words ("b-42", "coca-cola"); a leading one is kept so
                // that "-1" stays a negative number instead of reading as "1".
                word.append(scalar)
            } else if apostrophes.contains(scalar) {
                // Dropped inside words, so "i'd" and "id" read the same.
                continue
            } else {
                flush()
                if separators.contains(scalar), tokens.last != .separator, !tokens.isEmpty {
                    tokens.append(.separator)
                }
            }
        }
        flush()
        if tokens.last == .separator { tokens.removeLast() }
        return tokens
    }

    private static let apostrophes: Set<Unicode.Scalar> = ["'", "\u{2019}", "\u{2018}", "`"]
    private static let separators: Set<Unicode.Scalar> = [",", ";", "&", "+", ".", "!", "?", "/"]

    private static func isWordScalar(_ scalar: Unicode.Scalar) -> Bool {
        ("0"..."9").contains(scalar) || (scalar.properties.isAlphabetic && !scalar.properties.isEmojiPresentation)
    }

    private static func isMark(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark: true
        default: false
        }
    }
}
