import RestaurantAPI

/// Finds the menu item a customer meant: case-insensitive, plural or
/// singular ("burgers" → Burger), part of a name ("veggie" → Veggie Burger)
/// and small typos ("burgr"), in that order of trust. When two items fit
/// equally it says so instead of guessing.
///
/// It never offers two choices a customer cannot tell apart. Menu names are
/// unique per restaurant up to case, but two may still read the same here
/// ("Burrito" and "Burritos", "Hot-Dog" and "Hot Dog"): such twins at one
/// price are collapsed to one (the first available, in menu order: ordering
/// either is the same thing at the same price), and twins at different
/// prices are labelled with their price (`label`), a label the matcher
/// also takes back as an answer.
package struct MenuMatcher: Sendable {
    package enum Match: Sendable, Equatable {
        case found(MenuItem)
        /// Several items fit equally well; the user should pick one.
        case ambiguous([MenuItem])
        /// Nothing fits; `suggestions` are the closest names, best first (maybe none).
        case notFound(suggestions: [MenuItem])
    }

    /// A typo is forgiven up to one edit in four letters.
    static let typoSimilarity = 0.75
    /// Names at least this close are offered as "did you mean".
    static let suggestionSimilarity = 0.5
    static let maximumSuggestions = 3
    /// As long as the longest menu name; a longer query cannot name an item.
    static let maximumQueryScalars = 200
    /// Queries are cut to this before typo comparison, which is quadratic.
    static let maximumFuzzyScalars = 40

    private struct Name: Sendable {
        /// Lower-case words joined by single spaces.
        var plain: String
        /// The same, each word made singular.
        var singular: String
        var words: [String]
        /// The forms compared for typos, as scalars once rather than at every comparison.
        var plainScalars: [Unicode.Scalar]
        var singularScalars: [Unicode.Scalar]
        /// Each word, as typed and singular.
        var wordScalars: [[Unicode.Scalar]]

        init(_ text: String) {
            let typed = ChatText(text).words
                .flatMap { $0.split(separator: "-").map(String.init) }
                .filter { $0 != "and" }
            words = typed.map(MenuMatcher.singular)
            plain = typed.joined(separator: " ")
            singular = words.joined(separator: " ")
            plainScalars = Array(plain.unicodeScalars)
            singularScalars = Array(singular.unicodeScalars)
            wordScalars = Array(Set(typed + words)).map { Array($0.unicodeScalars) }
        }
    }

    private let entries: [(item: MenuItem, name: Name, label: String, labelName: Name?)]

    package init(menu: [MenuItem]) {
        // Twins at one price: keep one, an available one if any.
        var kept: [(item: MenuItem, name: Name)] = []
        var twinIndex: [String: Int] = [:]
        for item in menu {
            let name = Name(item.name)
            let key = "\(name.singular)\u{0}\(item.priceCents)\u{0}\(item.currency)"
            if let index = twinIndex[key] {
                if !kept[index].item.available, item.available { kept[index] = (item, name) }
                continue
            }
            twinIndex[key] = kept.count
            kept.append((item, name))
        }
        var readings: [String: Int] = [:]
        for entry in kept { readings[entry.name.singular, default: 0] += 1 }
        entries = kept.map { entry -> (item: MenuItem, name: Name, label: String, labelName: Name?) in
            guard readings[entry.name.singular]! > 1 else { return (entry.item, entry.name, entry.item.name, nil) }
            let label = "\(entry.item.name) (\(MoneyText.format(cents: entry.item.priceCents, currency: entry.item.currency)))"
            return (entry.item, entry.name, label, Name(label))
        }
    }

    /// The menu as matched: twins at one price collapsed.
    package var items: [MenuItem] { entries.map(\.item) }

    /// How `item` is offered as a choice: its name, with its price when
    /// another item's name reads the same. Distinct for distinct entries.
    package func label(_ item: MenuItem) -> String {
        entries.first { $0.item.id == item.id }?.label ?? item.name
    }

    package func labels(_ items: [MenuItem]) -> [String] { items.map(label) }

    package func match(_ query: String) -> Match {
        let query = Self.name(query)
        guard !query.plain.isEmpty else { return .notFound(suggestions: []) }

        let exact = exactEntries(query)
        if !exact.isEmpty { return Self.decide(exact) }

        let partial = entries.compactMap { entry -> (item: MenuItem, wholeWords: Bool)? in
            Self.partialMatch(entry.name, query).map { (entry.item, $0) }
        }
        if !partial.isEmpty {
            let best = partial.contains { $0.wholeWords } ? partial.filter { $0.wholeWords } : partial
            return Self.decide(best.map(\.item))
        }

        let fuzzyQuery = Self.name(query.plain, scalars: Self.maximumFuzzyScalars)
        let scored = entries.map { entry in
            let (score, whole) = Self.similarity(entry.name, fuzzyQuery)
            return (item: entry.item, score: score, whole: whole)
        }
        let typos = scored.filter { $0.score >= Self.typoSimilarity }
        if let top = typos.map(\.score).max() {
            // "burgr" is as close to a word of "Veggie Burger" as to "Burger": the whole name decides.
            let best = typos.filter { $0.score == top }
            let closest = best.map(\.whole).max()!
            return Self.decide(best.filter { $0.whole == closest }.map(\.item))
        }
        let suggestions = scored.filter { $0.score >= Self.suggestionSimilarity }
            .sorted { ($0.score, $0.whole) > ($1.score, $1.whole) }
            .prefix(Self.maximumSuggestions)
            .map(\.item)
        return .notFound(suggestions: Array(suggestions))
    }

    /// The one item whose name is `query` up to case and plurals, if there is exactly one.
    package func exactMatch(_ query: String) -> MenuItem? {
        let exact = exactEntries(Self.name(query))
        return exact.count == 1 ? exact[0] : nil
    }

    private func exactEntries(_ query: Name) -> [MenuItem] {
        guard !query.plain.isEmpty else { return [] }
        return entries.filter { entry in
            if let label = entry.labelName, label.plain == query.plain || label.singular == query.singular { return true }
            return entry.name.plain == query.plain || entry.name.singular == query.singular
        }.map(\.item)
    }

    private static func name(_ query: String, scalars: Int = maximumQueryScalars) -> Name {
        Name(String(String.UnicodeScalarView(query.unicodeScalars.prefix(scalars))))
    }

    private static func decide(_ items: [MenuItem]) -> Match {
        items.count == 1 ? .found(items[0]) : .ambiguous(items)
    }

    /// Nil unless one name contains the other (at least three letters of
    /// it); true when it does so on word boundaries ("burger" in "veggie
    /// burger", not "ham" in "graham").
    private static func partialMatch(_ name: Name, _ query: Name) -> Bool? {
        func contains(_ outer: String, _ inner: String) -> Bool? {
            guard inner.unicodeScalars.count >= 3, outer.contains(inner) else { return nil }
            return " \(outer) ".contains(" \(inner) ")
        }
        let forms = [(name.singular, query.singular), (name.plain, query.plain)]
        var found: Bool?
        for (candidate, typed) in forms {
            for result in [contains(candidate, typed), contains(typed, candidate)] {
                guard let result else { continue }
                found = (found ?? false) || result
            }
        }
        return found
    }

    /// `score`: the best of whole-name similarity and, for a one-word query,
    /// its similarity to any one word of the name ("burgr" ~ "Veggie Burger");
    /// `whole`: the whole-name similarity alone, to break ties. Anything
    /// below `suggestionSimilarity` is of no use and counts as 0, which lets
    /// most comparisons stop early.
    private static func similarity(_ name: Name, _ query: Name) -> (score: Double, whole: Double) {
        var whole = 0.0
        for (candidate, typed) in [(name.plainScalars, query.plainScalars), (name.singularScalars, query.singularScalars)] {
            if let value = EditDistance.similarity(candidate, typed, atLeast: max(suggestionSimilarity, whole)) {
                whole = value
            }
        }
        guard query.words.count == 1 else { return (whole, whole) }
        var score = whole
        for word in name.wordScalars {
            for typed in [query.plainScalars, query.singularScalars] {
                if let value = EditDistance.similarity(word, typed, atLeast: max(suggestionSimilarity, score)) {
                    score = value
                }
            }
        }
        return (score, whole)
    }

    /// English plurals, roughly: enough that "burgers", "fries" and
    /// "sandwiches" meet their menu names, applied to both sides alike.
    package static func singular(_ word: String) -> String {
        guard word.count > 3 else { return word }
        if word.count > 4, word.hasSuffix("ies") { return word.dropLast(3) + "y" }
        for suffix in ["ches", "shes", "sses", "xes", "zes", "oes"] where word.hasSuffix(suffix) {
            return String(word.dropLast(2))
        }
        if word.hasSuffix("s"), !word.hasSuffix("ss"), !word.hasSuffix("us"), !word.hasSuffix("is") {
            return String(word.dropLast())
        }
        return word
    }
}
