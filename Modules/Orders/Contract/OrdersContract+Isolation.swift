import Contract
import OrdersAPI
import Platform

extension OrdersContract {
    static let isolation: [Case] = [
        Case("another tenant sees none of a tenant's orders nor sells its menu") { provider, env in
            let tea = try stocked(provider, env, "Tea", stock: 3)
            let order = try provider.orders.place(env.cashier, sale(tea))
            let other = env.otherTenantContext(.manager)
            try Expect.error(OrdersError.orderNotFound, "the order by id in the other tenant") {
                try provider.orders.order(other, id: order.id)
            }
            try Expect.error(OrdersError.orderNotFound, "the order by number in the other tenant") {
                try provider.orders.order(other, number: order.number)
            }
            try Expect.equal(try provider.orders.orders(other, OrderQuery()).total, 0, "the other tenant's orders")
            try Expect.error(OrdersError.orderNotFound, "a cancel from the other tenant") {
                try provider.orders.cancel(other, id: order.id)
            }
            try Expect.error(OrdersError.unknownItems([]), "the other tenant selling this one's item") {
                try provider.orders.place(env.otherTenantContext(.cashier), sale(tea))
            }
            try Expect.equal(try provider.orders.order(env.cashier, id: order.id).status, .completed, "the order afterwards")
            try Expect.equal(try stock(provider, env, tea).0, 2, "tea on hand afterwards")
        },
    ]
}
