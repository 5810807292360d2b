import Chatbot
import Foundation
import Platform
import RestaurantAPI
import Testing

/// The assistant never offers two choices a customer cannot tell apart
/// ("do you mean Burrito or Burrito?"): names that read the same are
/// collapsed at one price and labelled with their price otherwise.
@Suite struct ChatTwinNameTests {
    private static func item(_ name: String, _ cents: Int64, available: Bool = true) -> MenuItem {
        MenuItem(
            id: UUID().uuidString.lowercased(), name: name, description: "", priceCents: cents, currency: "USD",
            category: nil, available: available, createdAt: Date(), updatedAt: Date())
    }

    @Test func twinsAtOnePriceAreOneChoice() {
        let burrito = Self.item("Burrito", 900)
        let burritos = Self.item("Burritos", 900)
        let matcher = MenuMatcher(menu: [burrito, burritos, Self.item("Taco", 400)])
        #expect(matcher.match("burrito") == .found(burrito))
        #expect(matcher.items.count == 2)
    }

    @Test func anAvailableTwinIsKeptOverAnUnavailableOne() {
        let off = Self.item("Hot-Dog", 500, available: false)
        let on = Self.item("Hot Dog", 500)
        #expect(MenuMatcher(menu: [off, on]).match("hot dog") == .found(on))
    }

    @Test func twinsAtDifferentPricesAreLabelledAndTheLabelIsAnAnswer() throws {
        let small = Self.item("Burrito", 900)
        let large = Self.item("Burritos", 1200)
        let taco = Self.item("Taco", 400)
        let matcher = MenuMatcher(menu: [small, large, taco])
        guard case .ambiguous(let choices) = matcher.match("burrito") else {
            Issue.record("burrito should be ambiguous: \(matcher.match("burrito"))")
            return
        }
        let labels = matcher.labels(choices)
        #expect(Set(labels).count == labels.count, "two choices read the same: \(labels)")
        #expect(Set(labels) == ["Burrito (9.00 USD)", "Burritos (12.00 USD)"])
        #expect(matcher.label(taco) == "Taco", "a name nobody shares is shown as it is")
        #expect(matcher.match("Burritos (12.00 USD)") == .found(large))
        #expect(matcher.match("burrito (9.00 usd)") == .found(small))
    }

    /// Through the service: the question lists distinct choices.
    @Test func theOrderQuestionNeverRepeatsAChoice() throws {
        let fixture = try ChatFixture()
        defer { fixture.shutdown() }
        let manager = ChatFixture.context(role: .manager)
        for (name, cents) in [("Burrito", Int64(900)), ("Burritos", 1200), ("Hot-Dog", 500), ("Hot Dog", 500)] {
            _ = try fixture.restaurant.createMenuItem(manager, NewMenuItem(name: name, priceCents: cents, currency: "USD"))
        }
        let reply = try fixture.ask("order a burrito")
        #expect(reply.reply.contains("Burrito (9.00 USD) or Burritos (12.00 USD)"), "\(reply.reply)")
        let hotDog = try fixture.ask("how much is a hot dog")
        #expect(hotDog.reply.contains("costs 5.00 USD"), "\(hotDog.reply)")
    }
}
