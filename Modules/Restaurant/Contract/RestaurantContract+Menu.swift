import Contract
import Platform
import RestaurantAPI

extension RestaurantContract {
    static let menu: [Case] = [
        Case("a manager adds an item and staff read it back") { restaurant, env in
            let created = try restaurant.createMenuItem(
                env.manager,
                NewMenuItem(
                    name: "  Flat White ", description: "Double shot, steamed milk", priceCents: 350, currency: "EUR",
                    category: "Coffee", available: true))
            try Expect.that(!created.id.isEmpty, "the new item has an id")
            try Expect.equal(created.name, "Flat White", "name (trimmed)")
            try Expect.equal(created.description, "Double shot, steamed milk", "description")
            try Expect.equal(created.priceCents, 350, "price_cents")
            try Expect.equal(created.currency, "EUR", "currency")
            try Expect.equal(created.category, "Coffee", "category")
            try Expect.equal(created.available, true, "available")
            try Expect.equal(try restaurant.menuItem(env.cashier, id: created.id), created, "the item read back by id")
            try Expect.equal(try restaurant.menu(env.cashier, includeUnavailable: false), [created], "the menu")

            // What a bare item gets: no description, no category, available, the restaurant's currency.
            let bare = try restaurant.createMenuItem(env.admin, NewMenuItem(name: "Water", priceCents: 0))
            try Expect.equal(bare.description, "", "description of a bare item")
            try Expect.none(bare.category, "category of a bare item")
            try Expect.equal(bare.available, true, "available of a bare item")
            try Expect.equal(bare.currency, "USD", "currency of a bare item")
            try Expect.equal(bare.priceCents, 0, "a free item")
        },
        Case("the menu is by category, uncategorised last, then name; unavailable items only when asked") {
            restaurant, env in
            let tea = try item(restaurant, env, "Tea", category: "Drinks")
            let bread = try item(restaurant, env, "Bread")
            let cake = try item(restaurant, env, "Cake", category: "Desserts", available: false)
            let coffee = try item(restaurant, env, "Coffee", category: "Drinks")
            try Expect.equal(
                try restaurant.menu(env.cashier, includeUnavailable: false), [coffee, tea, bread],
                "the menu without unavailable items")
            try Expect.equal(
                try restaurant.menu(env.cashier, includeUnavailable: true), [cake, coffee, tea, bread],
                "the menu with unavailable items")
            let fetched = try restaurant.menuItem(env.cashier, id: cake.id)
            try Expect.equal(fetched.available, false, "an unavailable item is still found by id")

            // Making an item unavailable takes it off the menu; available again puts it back.
            let off = try restaurant.updateMenuItem(env.manager, id: tea.id, MenuItemChanges(available: false))
            try Expect.equal(
                try restaurant.menu(env.cashier, includeUnavailable: false), [coffee, bread], "the menu after tea is off")
            let back = try restaurant.updateMenuItem(env.manager, id: tea.id, MenuItemChanges(available: true))
            try Expect.equal(back.available, true, "tea available again")
            try Expect.equal(off.available, false, "tea was unavailable")
            try Expect.equal(
                try restaurant.menu(env.cashier, includeUnavailable: false).map(\.id), [coffee.id, tea.id, bread.id],
                "the menu after tea is back")
        },
        Case("a change touches only the fields given; an empty category takes the item out of its category") {
            restaurant, env in
            let created = try restaurant.createMenuItem(
                env.manager,
                NewMenuItem(name: "Latte", description: "Milky", priceCents: 400, currency: "USD", category: "Coffee"))
            let repriced = try restaurant.updateMenuItem(env.manager, id: created.id, MenuItemChanges(priceCents: 450))
            try Expect.equal(repriced.priceCents, 450, "price_cents after the change")
            try Expect.equal(repriced.name, created.name, "name kept")
            try Expect.equal(repriced.description, created.description, "description kept")
            try Expect.equal(repriced.currency, created.currency, "currency kept")
            try Expect.equal(repriced.category, created.category, "category kept")
            try Expect.equal(repriced.available, created.available, "available kept")
            try Expect.equal(repriced.createdAt, created.createdAt, "created_at kept")
            try Expect.that(repriced.updatedAt >= created.updatedAt, "updated_at does not go back")

            let renamed = try restaurant.updateMenuItem(
                env.admin, id: created.id,
                MenuItemChanges(name: " Oat Latte ", description: "With oat milk", currency: "EUR", category: ""))
            try Expect.equal(renamed.name, "Oat Latte", "name after the change (trimmed)")
            try Expect.equal(renamed.description, "With oat milk", "description after the change")
            try Expect.equal(renamed.currency, "EUR", "currency after the change")
            try Expect.none(renamed.category, "category after an empty one")
            try Expect.equal(renamed.priceCents, 450, "price_cents kept")
            try Expect.equal(try restaurant.menuItem(env.cashier, id: created.id), renamed, "the item read back")
        },
        Case("a deleted item is gone: not found, off the menu and out of prices; a second delete is menuItemNotFound") {
            restaurant, env in
            let kept = try item(restaurant, env, "Kept")
            let gone = try item(restaurant, env, "Gone")
            try restaurant.deleteMenuItem(env.manager, id: gone.id)
            try Expect.error(RestaurantError.menuItemNotFound, "the deleted item by id") {
                try restaurant.menuItem(env.cashier, id: gone.id)
            }
            try Expect.error(RestaurantError.menuItemNotFound, "changing the deleted item") {
                try restaurant.updateMenuItem(env.manager, id: gone.id, MenuItemChanges(priceCents: 1))
            }
            try Expect.error(RestaurantError.menuItemNotFound, "deleting it again") {
                try restaurant.deleteMenuItem(env.admin, id: gone.id)
            }
            try Expect.equal(try restaurant.menu(env.cashier, includeUnavailable: true), [kept], "the menu")
            try Expect.equal(try restaurant.prices(env.cashier, itemIDs: [gone.id]), [], "prices of the deleted item")
        },
        Case("an unknown or malformed menu item id is menuItemNotFound") { restaurant, env in
            for id in [env.newID(), "not-a-uuid", ""] {
                try Expect.error(RestaurantError.menuItemNotFound, "menu item \"\(id)\"") {
                    try restaurant.menuItem(env.cashier, id: id)
                }
                try Expect.error(RestaurantError.menuItemNotFound, "changing menu item \"\(id)\"") {
                    try restaurant.updateMenuItem(env.manager, id: id, MenuItemChanges(priceCents: 100))
                }
                try Expect.error(RestaurantError.menuItemNotFound, "deleting menu item \"\(id)\"") {
                    try restaurant.deleteMenuItem(env.manager, id: id)
                }
            }
        },
        Case("a live name the menu has, up to case and spaces, is menuItemExists, for a new item and a rename") {
            restaurant, env in
            _ = try item(restaurant, env, "Burrito")
            let taco = try item(restaurant, env, "Taco")
            try Expect.error(RestaurantError.menuItemExists, "a second burrito") {
                _ = try restaurant.createMenuItem(env.manager, NewMenuItem(name: " BURRITO ", priceCents: 900))
            }
            try Expect.error(RestaurantError.menuItemExists, "the taco renamed burrito") {
                _ = try restaurant.updateMenuItem(env.manager, id: taco.id, MenuItemChanges(name: "burrito"))
            }
            try Expect.equal(
                try restaurant.menu(env.cashier, includeUnavailable: true).map(\.name), ["Burrito", "Taco"],
                "the menu after both were refused")
        },
    ]

    static let prices: [Case] = [
        Case("prices answer the items named, unavailable ones marked, and drop unknown, malformed and repeated ids") {
            restaurant, env in
            let soup = try item(restaurant, env, "Soup", cents: 650)
            let stew = try item(restaurant, env, "Stew", cents: 1200, available: false)
            let answered = try restaurant.prices(
                env.cashier, itemIDs: [soup.id, env.newID(), "junk", stew.id, soup.id, soup.id.uppercased()])
            try Expect.equal(answered.sorted { $0.id < $1.id }, [soup, stew].sorted { $0.id < $1.id }, "prices")
            try Expect.equal(answered.first { $0.id == stew.id }?.available, false, "the unavailable item is marked")
            try Expect.equal(try restaurant.prices(env.cashier, itemIDs: []), [], "prices of no items")
            try Expect.equal(try restaurant.prices(env.cashier, itemIDs: [env.newID()]), [], "prices of an unknown item")
        },
        Case("prices follow changes") { restaurant, env in
            let soup = try item(restaurant, env, "Soup", cents: 650)
            _ = try restaurant.updateMenuItem(env.manager, id: soup.id, MenuItemChanges(priceCents: 700))
            try Expect.equal(
                try restaurant.prices(env.cashier, itemIDs: [soup.id]).map(\.priceCents), [700], "price after the change")
        },
    ]
}
