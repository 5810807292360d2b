import Contract
import OrdersAPI
import Platform

extension OrdersContract {
    static let validation: [Case] = [
        Case("a malformed checkout is validation_failed naming the field, and nothing is sold") { provider, env in
            let tea = try stocked(provider, env, "Tea", stock: 3)
            let line = PlaceOrder.Item(menuItemID: tea.id, quantity: 1)
            let cash = PlaceOrder.Payment(method: "cash")
            try expectInvalid("items", "no lines") {
                try provider.orders.place(env.cashier, PlaceOrder(items: [], payment: cash))
            }
            try expectInvalid("items.0.quantity", "a quantity of 0") {
                try provider.orders.place(
                    env.cashier, PlaceOrder(items: [PlaceOrder.Item(menuItemID: tea.id, quantity: 0)], payment: cash))
            }
            try expectInvalid("items.1.menu_item_id", "a line that names no item id") {
                try provider.orders.place(
                    env.cashier,
                    PlaceOrder(items: [line, PlaceOrder.Item(menuItemID: "tea", quantity: 1)], payment: cash))
            }
            try expectInvalid("payment.method", "an unknown payment method") {
                try provider.orders.place(env.cashier, PlaceOrder(items: [line], payment: PlaceOrder.Payment(method: "iou")))
            }
            try expectInvalid("payment.token", "a card without its token") {
                try provider.orders.place(env.cashier, PlaceOrder(items: [line], payment: PlaceOrder.Payment(method: "card")))
            }
            try Expect.equal(try provider.orders.orders(env.cashier, OrderQuery()).total, 0, "orders afterwards")
            try Expect.equal(try stock(provider, env, tea).0, 3, "tea on hand afterwards")
        },
    ]
}
