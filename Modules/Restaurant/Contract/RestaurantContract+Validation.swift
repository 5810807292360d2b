import Contract
import Platform
import RestaurantAPI

extension RestaurantContract {
    static let validation: [Case] = [
        Case("invalid menu items are refused with invalidInput naming the field, and nothing is created") {
            restaurant, env in
            let refused: [(what: String, field: String, item: NewMenuItem)] = [
                ("an empty name", "name", NewMenuItem(name: "", priceCents: 100)),
                ("a blank name", "name", NewMenuItem(name: "   ", priceCents: 100)),
                ("a name of 201 characters", "name", NewMenuItem(name: String(repeating: "n", count: 201), priceCents: 100)),
                ("a name of two lines", "name", NewMenuItem(name: "Soup\nof the day", priceCents: 100)),
                ("a negative price", "price_cents", NewMenuItem(name: "Soup", priceCents: -1)),
                ("a price above 100000000", "price_cents", NewMenuItem(name: "Soup", priceCents: 100_000_001)),
                ("a lower-case currency", "currency", NewMenuItem(name: "Soup", priceCents: 100, currency: "usd")),
                ("a four-letter currency", "currency", NewMenuItem(name: "Soup", priceCents: 100, currency: "EURO")),
                ("a description of 2001 characters", "description",
                    NewMenuItem(name: "Soup", description: String(repeating: "d", count: 2001), priceCents: 100)),
                ("a description with a NUL", "description",
                    NewMenuItem(name: "Soup", description: "hot\u{0}soup", priceCents: 100)),
                ("a category of 101 characters", "category",
                    NewMenuItem(name: "Soup", priceCents: 100, category: String(repeating: "c", count: 101))),
            ]
            for (what, field, item) in refused {
                try expectInvalid(field, "create an item with \(what)") { try restaurant.createMenuItem(env.manager, item) }
            }
            try Expect.equal(try restaurant.menu(env.cashier, includeUnavailable: true), [], "the menu after the refusals")

            // The limits themselves are accepted.
            let longest = String(repeating: "n", count: 200)
            let edge = try restaurant.createMenuItem(
                env.manager,
                NewMenuItem(
                    name: longest, description: String(repeating: "d", count: 2000), priceCents: 100_000_000,
                    category: String(repeating: "c", count: 100)))
            try Expect.equal(edge.name, longest, "a name of 200 characters")
            try Expect.equal(edge.description.count, 2000, "a description of 2000 characters")
            try Expect.equal(edge.category?.count, 100, "a category of 100 characters")
            try Expect.equal(edge.priceCents, 100_000_000, "the highest price")
            let free = try restaurant.createMenuItem(env.manager, NewMenuItem(name: "Tap water", priceCents: 0))
            try Expect.equal(free.priceCents, 0, "the lowest price")
        },
        Case("invalid changes to an item or the profile are refused with invalidInput and change nothing") {
            restaurant, env in
            let soup = try item(restaurant, env, "Soup", cents: 650, category: "Starters")
            let refused: [(what: String, field: String, changes: MenuItemChanges)] = [
                ("an empty name", "name", MenuItemChanges(name: " ")),
                ("a name of 201 characters", "name", MenuItemChanges(name: String(repeating: "n", count: 201))),
                ("a negative price", "price_cents", MenuItemChanges(priceCents: -5)),
                ("a price above 100000000", "price_cents", MenuItemChanges(priceCents: 200_000_000)),
                ("a bad currency", "currency", MenuItemChanges(currency: "E1R")),
                ("a description of 2001 characters", "description",
                    MenuItemChanges(description: String(repeating: "d", count: 2001))),
                ("a category with a control character", "category", MenuItemChanges(category: "Star\u{7}ters")),
            ]
            for (what, field, changes) in refused {
                try expectInvalid(field, "change the item with \(what)") {
                    try restaurant.updateMenuItem(env.manager, id: soup.id, changes)
                }
            }
            try Expect.equal(try restaurant.menuItem(env.cashier, id: soup.id), soup, "the item after the refusals")

            let profileRefusals: [(what: String, field: String, changes: RestaurantProfileChanges)] = [
                ("an empty name", "name", RestaurantProfileChanges(name: "")),
                ("an address of 501 characters", "address",
                    RestaurantProfileChanges(address: String(repeating: "a", count: 501))),
                ("a phone of 51 characters", "phone", RestaurantProfileChanges(phone: String(repeating: "5", count: 51))),
                ("a phone of two lines", "phone", RestaurantProfileChanges(phone: "555\n0100")),
                ("a bad currency", "currency", RestaurantProfileChanges(currency: "Dollars")),
            ]
            for (what, field, changes) in profileRefusals {
                try expectInvalid(field, "change the profile with \(what)") {
                    try restaurant.updateProfile(env.manager, changes)
                }
            }
            try Expect.equal(
                try restaurant.profile(env.cashier), RestaurantProfile(name: env.tenant.value, currency: "USD"),
                "the profile after the refusals")
        },
        Case("invalid kitchen tickets are refused with invalidInput naming the field, and nothing is opened") {
            restaurant, env in
            let line = KitchenTicket.Line(name: "Soup", quantity: 1)
            func ticket(orderID: String? = nil, number: String = "A-1", items: [KitchenTicket.Line]? = nil)
                -> NewKitchenTicket
            {
                NewKitchenTicket(orderID: orderID ?? env.newID(), orderNumber: number, items: items ?? [line])
            }
            let refused: [(what: String, field: String, ticket: NewKitchenTicket)] = [
                ("an empty order id", "order_id", ticket(orderID: " ")),
                ("an order id of 101 characters", "order_id", ticket(orderID: String(repeating: "o", count: 101))),
                ("an empty order number", "order_number", ticket(number: "")),
                ("an order number of 51 characters", "order_number", ticket(number: String(repeating: "9", count: 51))),
                ("no lines", "items", ticket(items: [])),
                ("1001 lines", "items", ticket(items: Array(repeating: line, count: 1001))),
                ("a line without a name", "items.1.name", ticket(items: [line, KitchenTicket.Line(name: "", quantity: 1)])),
                ("a line of 0", "items.0.quantity", ticket(items: [KitchenTicket.Line(name: "Soup", quantity: 0)])),
                ("a line of 1000001", "items.0.quantity",
                    ticket(items: [KitchenTicket.Line(name: "Soup", quantity: 1_000_001)])),
            ]
            for (what, field, request) in refused {
                try expectInvalid(field, "open a ticket with \(what)") {
                    try restaurant.openKitchenTicket(env.cashier, request)
                }
            }
            try Expect.equal(
                try restaurant.kitchenTickets(env.cashier, includeDone: true), [], "the kitchen after the refusals")
        },
    ]
}
