import Contract
import InventoryAPI
import OrdersAPI
import Platform
import RestaurantAPI

extension OrdersContract {
    static let checkout: [Case] = [
        Case("a cash checkout completes at the menu's prices and takes the stock") { provider, env in
            let soup = try stocked(provider, env, "Soup", cents: 650, stock: 5)
            let bread = try stocked(provider, env, "Bread", cents: 200, stock: 5)
            let order = try provider.orders.place(
                env.cashier,
                PlaceOrder(
                    items: [
                        PlaceOrder.Item(menuItemID: soup.id, quantity: 2), PlaceOrder.Item(menuItemID: bread.id, quantity: 1),
                    ],
                    payment: PlaceOrder.Payment(method: "cash")))
            try Expect.equal(order.status, .completed, "the order's status")
            try Expect.equal(order.totalCents, 1500, "the total, priced from the menu")
            try Expect.equal(order.currency, soup.currency, "the currency, the menu's")
            try Expect.equal(order.paymentMethod, "cash", "the payment method")
            try Expect.equal(
                order.items.map { "\($0.menuItemID) \($0.name) \($0.quantity) \($0.unitPriceCents)" }.sorted(),
                ["\(soup.id) Soup 2 650", "\(bread.id) Bread 1 200"].sorted(), "the lines")
            let soupStock = try stock(provider, env, soup)
            let breadStock = try stock(provider, env, bread)
            try Expect.equal("\(soupStock.0)/\(soupStock.1)", "3/0", "soup on hand/held afterwards")
            try Expect.equal("\(breadStock.0)/\(breadStock.1)", "4/0", "bread on hand/held afterwards")
        },
        Case("a card checkout is charged once and completes (payment captured)") { provider, env in
            let tea = try stocked(provider, env, "Tea", cents: 300, stock: 2)
            let order = try provider.orders.place(env.cashier, sale(tea, quantity: 2, card: "tok_visa"))
            try Expect.equal(order.status, .completed, "the order's status")
            try Expect.equal(order.paymentMethod, "card", "the payment method")
            try Expect.equal(order.paymentStatus, "captured", "the payment's status")
            try Expect.equal(order.totalCents, 600, "the total")
            try Expect.equal(try stock(provider, env, tea).0, 0, "tea on hand afterwards")
        },
        Case("a declined card is 402 naming the order, which is payment_failed, and the stock is released") {
            provider, env in
            let cake = try stocked(provider, env, "Cake", cents: 500, stock: 3)
            let problem = try expectProblem(402, "card_declined", "a checkout with a declined card") {
                try provider.orders.place(env.cashier, sale(cake, quantity: 2, card: "tok_declined"))
            }
            let orderID = try Expect.some(text(problem.extensions["order_id"]), "the decline's order_id")
            let order = try provider.orders.order(env.cashier, id: orderID)
            try Expect.equal(order.status, .paymentFailed, "the declined order's status")
            try Expect.equal(order.failureCode, "card_declined", "the declined order's failure code")
            try Expect.equal(text(problem.extensions["order_number"]), order.number, "the decline's order_number")
            let after = try stock(provider, env, cake)
            try Expect.equal("\(after.0)/\(after.1)", "3/0", "cake on hand/held after the decline")
        },
        Case("more than the stock is out_of_stock (409): no order, nothing held") { provider, env in
            let pie = try stocked(provider, env, "Pie", cents: 900, stock: 1)
            try expectProblem(409, "out_of_stock", "two pies with one on hand") {
                try provider.orders.place(env.cashier, sale(pie, quantity: 2))
            }
            try Expect.equal(try provider.orders.orders(env.cashier, OrderQuery()).total, 0, "orders afterwards")
            let after = try stock(provider, env, pie)
            try Expect.equal("\(after.0)/\(after.1)", "1/0", "pies on hand/held afterwards")
        },
        Case("unknown and unavailable items are unknown_items (422) naming each, and nothing is sold") { provider, env in
            let soup = try stocked(provider, env, "Soup", stock: 4)
            let hidden = try provider.restaurant.createMenuItem(
                env.manager, NewMenuItem(name: "Off menu", priceCents: 100, available: false))
            let missing = env.newID()
            let error = try Expect.error(OrdersError.unknownItems([]), "a checkout with unknown items") {
                try provider.orders.place(
                    env.cashier,
                    PlaceOrder(
                        items: [
                            PlaceOrder.Item(menuItemID: soup.id, quantity: 1),
                            PlaceOrder.Item(menuItemID: hidden.id, quantity: 1),
                            PlaceOrder.Item(menuItemID: missing, quantity: 1),
                        ],
                        payment: PlaceOrder.Payment(method: "cash")))
            }
            try Expect.equal(Set(error.items), [hidden.id, missing], "the items the error names")
            try Expect.equal(try provider.orders.orders(env.cashier, OrderQuery()).total, 0, "orders afterwards")
            try Expect.equal(try stock(provider, env, soup).0, 4, "soup on hand afterwards")
        },
    ]
}
