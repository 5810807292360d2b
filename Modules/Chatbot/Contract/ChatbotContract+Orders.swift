import ChatbotAPI
import Contract
import OrdersAPI
import Platform

extension ChatbotContract {
    static let ordering: [Case] = [
        Case("an order placed by chat is a real cash order at the menu's prices, and takes the stock") {
            provider, env in
            let soup = try stocked(provider, env, "Soup", cents: 650, stock: 5)
            let bread = try stocked(provider, env, "Bread", cents: 200, stock: 5)
            let reply = try ask(provider, env.cashier, "order 2 soups and a bread", intent: "place_order")
            let number = try Expect.some(text(reply.data, "order", "number"), "the order number in the reply")
            let order = try provider.orders.order(env.cashier, number: number)
            try Expect.equal(text(reply.data, "order", "id"), order.id, "the order the reply names")
            try Expect.equal(order.status, .completed, "the order's status")
            try Expect.equal(order.paymentMethod, "cash", "the payment method")
            try Expect.equal(order.totalCents, 1500, "the total, priced from the menu")
            try Expect.equal(
                order.items.map { "\($0.name) \($0.quantity)" }.sorted(), ["Bread 1", "Soup 2"], "the order's lines")
            try Expect.equal(try onHand(provider, env, soup), 3, "soup on hand afterwards")
            try Expect.equal(try onHand(provider, env, bread), 4, "bread on hand afterwards")
            try Expect.equal(try orderCount(provider, env.cashier), 1, "orders afterwards")
        },
    ]

    static let orderStatus: [Case] = [
        Case("an order's status is told by its number; an unknown number is order_not_found") { provider, env in
            let tea = try stocked(provider, env, "Tea", stock: 3)
            let order = try provider.orders.place(
                env.cashier,
                PlaceOrder(
                    items: [PlaceOrder.Item(menuItemID: tea.id, quantity: 1)], payment: PlaceOrder.Payment(method: "cash")))
            let reply = try ask(provider, env.cashier, "status of order \(order.number)", intent: "order_status")
            try Expect.equal(text(reply.data, "order", "id"), order.id, "the order the reply names")
            try Expect.equal(text(reply.data, "order", "status"), "completed", "the status the reply gives")
            let missing = try ask(provider, env.cashier, "status of order B-999999", intent: "order_status")
            try Expect.equal(text(missing.data, "code"), "order_not_found", "the code for an unknown number")
            try Expect.none(member(missing.data, "order"), "an order for an unknown number")
        },
    ]

    static let cancel: [Case] = [
        Case("cancel by chat needs a manager: a cashier hears insufficient_role, a manager cancels, twice is already_cancelled") {
            provider, env in
            let wine = try stocked(provider, env, "Wine", cents: 1200, stock: 4)
            let placed = try ask(provider, env.cashier, "order 2 wines", intent: "place_order")
            let number = try Expect.some(text(placed.data, "order", "number"), "the order number in the reply")
            try Expect.equal(try onHand(provider, env, wine), 2, "wine on hand after the order")

            let refused = try ask(provider, env.cashier, "cancel order \(number)", intent: "cancel_order")
            try Expect.equal(text(refused.data, "code"), "insufficient_role", "the code a cashier hears")
            try Expect.equal(
                try provider.orders.order(env.manager, number: number).status, .completed, "the order after a cashier's try")

            let cancelled = try ask(provider, env.manager, "cancel order \(number)", intent: "cancel_order")
            try Expect.equal(text(cancelled.data, "order", "status"), "cancelled", "the status the reply gives")
            try Expect.equal(
                try provider.orders.order(env.manager, number: number).status, .cancelled, "the order, read back")
            try Expect.equal(try onHand(provider, env, wine), 4, "wine on hand after the cancel")

            let again = try ask(provider, env.manager, "cancel order \(number)", intent: "cancel_order")
            try Expect.equal(text(again.data, "code"), "already_cancelled", "the code of a second cancel")
        },
    ]

    static let refusals: [Case] = [
        Case("unknown items and too little stock are answered politely, and nothing is ordered") { provider, env in
            let pie = try stocked(provider, env, "Pie", cents: 900, stock: 1)
            let unknown = try ask(provider, env.cashier, "order 2 pizzas", intent: "place_order")
            try Expect.equal(
                text(unknown.data, "unmatched", "0", "requested"), "pizzas", "the item the reply could not find")
            try Expect.none(member(unknown.data, "order"), "an order for an unknown item")
            let short = try ask(provider, env.cashier, "order 2 pies", intent: "place_order")
            try Expect.equal(text(short.data, "code"), "out_of_stock", "the code for too little stock")
            try Expect.equal(member(short.data, "items"), .array([.string("Pie")]), "the items short, by name")
            try Expect.none(member(short.data, "order"), "an order beyond the stock")
            try Expect.equal(try orderCount(provider, env.cashier), 0, "orders afterwards")
            try Expect.equal(try onHand(provider, env, pie), 1, "pies on hand afterwards")
            let held = try Expect.some(
                try provider.inventory.stockLevel(env.manager, menuItemID: pie.id), "the stock of Pie")
            try Expect.equal(held.reserved, 0, "pies held afterwards")
        },
    ]
}
