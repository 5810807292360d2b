import Contract
import OrdersAPI
import Platform

extension OrdersContract {
    static let lookup: [Case] = [
        Case("an order is found by id and by number (any case); an unknown one is order_not_found") { provider, env in
            let tea = try stocked(provider, env, "Tea")
            let order = try provider.orders.place(env.cashier, sale(tea))
            try Expect.equal(summary(try provider.orders.order(env.cashier, id: order.id)), summary(order), "by id")
            try Expect.equal(
                summary(try provider.orders.order(env.cashier, number: order.number.lowercased())), summary(order),
                "by number in lower case")
            try Expect.equal(
                try provider.orders.order(env.cashier, id: order.id), try provider.orders.order(env.cashier, number: order.number),
                "the same order both ways")
            try Expect.error(OrdersError.orderNotFound, "an unknown id") {
                try provider.orders.order(env.cashier, id: env.newID())
            }
            try Expect.error(OrdersError.orderNotFound, "an id that is not one") {
                try provider.orders.order(env.cashier, id: "not-an-id")
            }
            try Expect.error(OrdersError.orderNotFound, "an unknown number") {
                try provider.orders.order(env.cashier, number: "Z-999999")
            }
        },
    ]

    static let paging: [Case] = [
        Case("orders page newest first, by status, with limit and offset") { provider, env in
            let tea = try stocked(provider, env, "Tea", stock: 10)
            var placed: [Order] = []
            for _ in 0..<3 { placed.append(try provider.orders.place(env.cashier, sale(tea))) }
            try expectProblem(402, "card_declined", "a declined checkout") {
                try provider.orders.place(env.cashier, sale(tea, card: "tok_declined"))
            }
            let all = try provider.orders.orders(env.cashier, OrderQuery(limit: 10))
            try Expect.equal(all.total, 4, "every order's count")
            try Expect.equal(
                Array(all.orders.map(\.id).dropFirst()), placed.reversed().map(\.id), "the completed ones, newest first")
            let completed = try provider.orders.orders(env.cashier, OrderQuery(status: .completed, limit: 2, offset: 0))
            try Expect.equal(
                "\(completed.total) \(completed.limit) \(completed.offset)", "3 2 0", "completed page 1: total, limit, offset")
            try Expect.equal(completed.orders.map(\.id), [placed[2].id, placed[1].id], "completed page 1")
            let next = try provider.orders.orders(env.cashier, OrderQuery(status: .completed, limit: 2, offset: 2))
            try Expect.equal(next.orders.map(\.id), [placed[0].id], "completed page 2")
            let failed = try provider.orders.orders(env.cashier, OrderQuery(status: .paymentFailed))
            try Expect.equal(failed.orders.map(\.status), [.paymentFailed], "the payment_failed page")
            try expectInvalid("limit", "a limit of 0") { try provider.orders.orders(env.cashier, OrderQuery(limit: 0)) }
            try expectInvalid("limit", "a limit of 201") { try provider.orders.orders(env.cashier, OrderQuery(limit: 201)) }
            try expectInvalid("offset", "a negative offset") {
                try provider.orders.orders(env.cashier, OrderQuery(offset: -1))
            }
        },
    ]
}
