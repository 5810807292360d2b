import Contract
import OrdersAPI
import Platform

extension OrdersContract {
    static let roles: [Case] = [
        Case("selling needs a cashier and cancelling a manager (AccessDenied)") { provider, env in
            let tea = try stocked(provider, env, "Tea", stock: 3)
            try Expect.error(AccessDenied(needed: .cashier), "a checkout without a role") {
                try provider.orders.place(env.context(nil), sale(tea))
            }
            try Expect.equal(try provider.orders.orders(env.cashier, OrderQuery()).total, 0, "orders after the refusal")
            let order = try provider.orders.place(env.cashier, sale(tea))
            try Expect.error(AccessDenied(needed: .manager), "a cancel by a cashier") {
                try provider.orders.cancel(env.cashier, id: order.id)
            }
            try Expect.equal(try provider.orders.order(env.cashier, id: order.id).status, .completed, "the order afterwards")
            try Expect.equal(try stock(provider, env, tea).0, 2, "tea on hand afterwards")
            try Expect.equal(try provider.orders.cancel(env.admin, id: order.id).status, .cancelled, "a cancel by an admin")
        },
    ]
}
