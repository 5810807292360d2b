import Chatbot
import Foundation
import RestaurantAPI
import Testing

/// The assistant's pure parts on their own: words, numbers, order numbers,
/// intents and fuzzy menu matching. No database.
@Suite struct ChatParserTests {
    @Test(arguments: [
        ("", ChatIntent.help),
        ("   \n\t ", .help),
        ("help", .help),
        ("hi there", .help),
        ("what can you do?", .help),
        ("show the menu", .menu),
        ("what do you have", .menu),
        ("Menu", .menu),
        ("could I get the menu please", .menu),
        ("how much is the burger", .price(item: "burger")),
        ("price of coke", .price(item: "coke")),
        ("How much does a Veggie Burger cost?", .price(item: "veggie burger")),
        ("is the burger in stock", .stock(item: "burger")),
        ("do you have fries left", .stock(item: "fries")),
        ("do you have burgers", .stock(item: "burgers")),
        ("what's in stock?", .stock(item: "")),
        ("status of order B-000042", .orderStatus(number: "B-000042")),
        ("where is B-42", .orderStatus(number: "B-000042")),
        ("is order b42 ready?", .orderStatus(number: "B-000042")),
        ("order status", .orderStatus(number: nil)),
        ("where is my order 17", .orderStatus(number: "B-000017")),
        ("cancel order B-000042", .cancelOrder(number: "B-000042")),
        ("please cancel b-7", .cancelOrder(number: "B-000007")),
        ("cancel order 12", .cancelOrder(number: "B-000012")),
        ("cancel it", .cancelOrder(number: nil)),
        ("the weather is nice", .unknown),
        ("🍔🍟", .unknown),
    ])
    func recognizesIntents(message: String, expected: ChatIntent) {
        #expect(IntentParser.parse(message) == expected)
    }

    @Test(arguments: [
        ("order 2 burgers and a coke", [line(2, "burgers"), line(1, "coke")]),
        ("I'd like three fries, 1 cola please", [line(3, "fries"), line(1, "cola")]),
        ("i’d like to order 2 burgers & 3 cokes", [line(2, "burgers"), line(3, "cokes")]),
        ("ORDER TWELVE Burgers + an ice tea", [line(12, "burgers"), line(1, "ice tea")]),
        ("order 2 burgers 1 coke", [line(2, "burgers"), line(1, "coke")]),
        ("order burger and fries", [line(1, "burger", typed: false), line(1, "fries", typed: false)]),
        ("can I get 2x burger, coke x3 thanks", [line(2, "burger"), line(3, "coke")]),
        ("I want to place an order for two veggie burgers", [line(2, "veggie burgers")]),
        ("2 burgers and a coke", [line(2, "burgers"), line(1, "coke")]),
        ("order -1 burgers", [line(QuantityWord.negative, "burgers")]),
        ("order", []),
        ("order 5", []),
    ])
    func readsOrderLines(message: String, expected: [RequestedLine]) {
        #expect(IntentParser.parse(message) == .placeOrder(expected))
    }

    @Test func quantityWords() {
        let expected: [String: Int?] = [
            "a": 1, "an": 1, "one": 1, "seven": 7, "twelve": 12, "thirteen": nil, "3": 3, "2x": 2, "x4": 4,
            "x": nil, "0": 0, "-3": QuantityWord.negative, "-": nil, "burger": nil, "99999999": QuantityWord.tooLarge, "1e3": nil,
        ]
        for (word, value) in expected {
            #expect(QuantityWord.value(word) == value, "\(word)")
        }
        #expect(QuantityWord.numeral("a") == nil)
    }

    @Test func orderNumbers() {
        #expect(OrderNumberText.normalize("B-42") == "B-000042")
        #expect(OrderNumberText.normalize("b42") == "B-000042")
        #expect(OrderNumberText.normalize("b-000042") == "B-000042")
        #expect(OrderNumberText.normalize("B-1234567") == "B-1234567")
        #expect(OrderNumberText.normalize("B-0") == nil)
        #expect(OrderNumberText.normalize("b-") == nil)
        #expect(OrderNumberText.normalize("burger") == nil)
        #expect(OrderNumberText.normalize("b-1234567890") == nil)
        #expect(OrderNumberText.find(in: ["order", "42"], bareDigits: false) == nil)
        #expect(OrderNumberText.find(in: ["order", "42"], bareDigits: true) == "B-000042")
        #expect(OrderNumberText.find(in: ["2", "b-9"], bareDigits: true) == "B-000009")
    }

    @Test func editDistance() {
        func scalars(_ text: String) -> [Unicode.Scalar] { Array(text.unicodeScalars) }
        #expect(EditDistance.levenshtein(scalars("kitten"), scalars("sitting")) == 3)
        #expect(EditDistance.levenshtein(scalars(""), scalars("abc")) == 3)
        #expect(EditDistance.levenshtein(scalars("abc"), scalars("abc")) == 0)
        #expect(EditDistance.levenshtein(scalars("burgr"), scalars("burger")) == 1)
        #expect(EditDistance.similarity("coke", "cola") == 0.5)
        #expect(EditDistance.similarity("", "") == 1)
    }

    @Test func singulars() {
        let expected = [
            "burgers": "burger", "fries": "fry", "sandwiches": "sandwich", "cokes": "coke", "glass": "glass",
            "hummus": "hummus", "tea": "tea", "boxes": "box",
        ]
        for (plural, singular) in expected {
            #expect(MenuMatcher.singular(plural) == singular, "\(plural)")
        }
    }

    static let menu = ["Burger", "Veggie Burger", "Coke", "Fries", "Fish & Chips", "Chicken Wrap", "Chicken Salad"]
        .map(chatMenuItem)

    @Test(arguments: [
        ("burger", "Burger"), ("BURGERS", "Burger"), ("burgr", "Burger"), ("veggie", "Veggie Burger"),
        ("veggie burgers", "Veggie Burger"), ("coke", "Coke"), ("Cokes", "Coke"), ("fris", "Fries"),
        ("fries", "Fries"), ("fish and chips", "Fish & Chips"), ("chips", "Fish & Chips"), ("wrap", "Chicken Wrap"),
        ("chiken salad", "Chicken Salad"), ("large fries", "Fries"),
    ])
    func matchesMenuItems(query: String, name: String) {
        let match = MenuMatcher(menu: Self.menu).match(query)
        guard case .found(let item) = match else {
            Issue.record("\(query): \(match)")
            return
        }
        #expect(item.name == name)
    }

    @Test func ambiguousNamesAreNotGuessed() {
        guard case .ambiguous(let items) = MenuMatcher(menu: Self.menu).match("chicken") else {
            Issue.record("chicken should be ambiguous")
            return
        }
        #expect(Set(items.map(\.name)) == ["Chicken Wrap", "Chicken Salad"])
    }

    @Test func unknownNamesGetCloseSuggestions() {
        let matcher = MenuMatcher(menu: Self.menu)
        #expect(matcher.match("cola") == .notFound(suggestions: [Self.menu[2]]))
        #expect(matcher.match("pizza") == .notFound(suggestions: []))
        #expect(matcher.match("") == .notFound(suggestions: []))
        #expect(matcher.exactMatch("fish and chips")?.name == "Fish & Chips")
        #expect(matcher.exactMatch("fish") == nil)
    }

    @Test func money() {
        #expect(MoneyText.format(cents: 850, currency: "USD") == "8.50 USD")
        #expect(MoneyText.format(cents: 5, currency: "EUR") == "0.05 EUR")
        #expect(MoneyText.format(cents: 1200, currency: "JPY") == "1200 JPY")
        #expect(MoneyText.format(cents: 1234, currency: "KWD") == "1.234 KWD")
        #expect(MoneyText.format(cents: -250, currency: "USD") == "-2.50 USD")
        #expect(MoneyText.format(cents: Int64.min, currency: "USD") == "-92233720368547758.08 USD")
    }

    @Test func oddTextIsJustWords() {
        #expect(ChatText("'; DROP TABLE orders; --").words == ["drop", "table", "orders"])
        #expect(ChatText("hi\u{0}\u{7}there\u{1B}[31m").words == ["hi", "there", "31m"])
        #expect(ChatText("Café ☕️ 🍔burger").words == ["café", "burger"])
        #expect(ChatText("Cafe\u{301}").words == ["café"])
        #expect(ChatText("-1 x -abc --2").words == ["-1", "x", "abc", "-2"])
        #expect(ChatText("coca-cola, B-42 -- x").tokens == [.word("coca-cola"), .separator, .word("b-42"), .word("x")])
    }

    @Test func onlyTheStartOfALongMessageIsRead() {
        let long = String(repeating: "a", count: 10_000)
        #expect(ChatText(long).words == [String(repeating: "a", count: ChatText.interpretedScalars)])
        // One character carrying thousands of combining marks is still bounded.
        let zalgo = "e" + String(repeating: "\u{301}", count: 10_000)
        #expect(ChatText(zalgo).words.joined().unicodeScalars.count <= ChatText.interpretedScalars)
        // A command past the cut is not read.
        #expect(IntentParser.parse(String(repeating: "x ", count: 300) + "cancel order B-1") == .unknown)
    }
}

private func line(_ quantity: Int, _ name: String, typed: Bool = true) -> RequestedLine {
    RequestedLine(quantity: quantity, name: name, quantityTyped: typed)
}

/// A menu item as the Restaurant module would return it.
func chatMenuItem(_ name: String) -> MenuItem {
    MenuItem(
        id: UUID().uuidString.lowercased(), name: name, description: "", priceCents: 500, currency: "USD",
        category: nil, available: true, createdAt: Date(), updatedAt: Date())
}
