import Contract
import OrdersAPI
import Platform

extension OrdersContract {
    static let idempotency: [Case] = [
        Case("a checkout replayed with its Idempotency-Key returns the same order and sells once") { provider, env in
            let soup = try stocked(provider, env, "Soup", stock: 5)
            var keyed = env.cashier
            keyed.idempotencyKey = env.key("checkout-1")
            let first = try provider.orders.place(keyed, sale(soup, quantity: 2, card: "tok_visa"))
            let replay = try provider.orders.place(keyed, sale(soup, quantity: 2, card: "tok_visa"))
            try Expect.equal(summary(replay), summary(first), "the replay's order")
            try Expect.equal(try provider.orders.orders(env.cashier, OrderQuery()).total, 1, "orders placed")
            try Expect.equal(try stock(provider, env, soup).0, 3, "soup on hand after the replay")
        },
        Case("an Idempotency-Key reused for another checkout is idempotency_key_reused (409)") { provider, env in
            let soup = try stocked(provider, env, "Soup", stock: 5)
            var keyed = env.cashier
            keyed.idempotencyKey = env.key("checkout-2")
            let first = try provider.orders.place(keyed, sale(soup, quantity: 1))
            try Expect.error(OrdersError.keyReused, "the same key with another quantity") {
                try provider.orders.place(keyed, sale(soup, quantity: 3))
            }
            let page = try provider.orders.orders(env.cashier, OrderQuery())
            try Expect.equal(page.orders.map(\.id), [first.id], "orders placed")
            try Expect.equal(try stock(provider, env, soup).0, 4, "soup on hand")
        },
    ]
}
