import ChatbotAPI
import Contract
import Platform
import RestaurantAPI

extension ChatbotContract {
    static let menu: [Case] = [
        Case("the menu and prices are answered from the tenant's menu, without its unavailable items") {
            provider, env in
            _ = try stocked(provider, env, "Soup", cents: 650)
            _ = try stocked(provider, env, "Bread", cents: 200)
            _ = try provider.restaurant.createMenuItem(
                env.manager, NewMenuItem(name: "Off menu", priceCents: 100, currency: "USD", available: false))
            let shown = try ask(provider, env.cashier, "show the menu", intent: "menu")
            try Expect.equal(Set(names(shown.data, "items")), ["Soup", "Bread"], "the items of the menu reply")
            let price = try ask(provider, env.cashier, "how much is the soup", intent: "price")
            try Expect.equal(text(price.data, "item", "name"), "Soup", "the item priced")
            try Expect.equal(member(price.data, "item", "price_cents"), .int(650), "the price, the menu's")
            try Expect.that(price.reply.contains("6.50 USD"), "the price in words (\(price.reply))")
        },
        Case("an empty menu is said to be empty") { provider, env in
            let shown = try ask(provider, env.cashier, "show the menu", intent: "menu")
            try Expect.equal(names(shown.data, "items"), [], "the items of an empty menu")
        },
    ]
}
