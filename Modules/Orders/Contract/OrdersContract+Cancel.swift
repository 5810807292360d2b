import Contract
import OrdersAPI
import Platform

extension OrdersContract {
    static let cancel: [Case] = [
        Case("a manager cancels a completed order: refunded, restocked; a second cancel is already_cancelled") {
            provider, env in
            let wine = try stocked(provider, env, "Wine", cents: 1200, stock: 6)
            let order = try provider.orders.place(env.cashier, sale(wine, quantity: 2, card: "tok_visa"))
            let cancelled = try provider.orders.cancel(env.manager, id: order.id)
            try Expect.equal(cancelled.status, .cancelled, "the cancelled order's status")
            try Expect.equal(cancelled.paymentStatus, "refunded", "the cancelled order's payment")
            try Expect.equal(cancelled.id, order.id, "the cancelled order's id")
            try Expect.equal(try stock(provider, env, wine).0, 6, "wine on hand after the cancel")
            try Expect.error(OrdersError.alreadyCancelled, "a second cancel") {
                try provider.orders.cancel(env.manager, id: order.id)
            }
            try Expect.equal(try stock(provider, env, wine).0, 6, "wine on hand after the second cancel")
            try Expect.equal(try provider.orders.order(env.cashier, id: order.id).status, .cancelled, "the order read back")
        },
        Case("an order that was never paid cannot be cancelled (not_cancellable)") { provider, env in
            let cake = try stocked(provider, env, "Cake", stock: 2)
            let problem = try expectProblem(402, "card_declined", "a declined checkout") {
                try provider.orders.place(env.cashier, sale(cake, card: "tok_declined"))
            }
            let orderID = try Expect.some(text(problem.extensions["order_id"]), "the decline's order_id")
            try Expect.error(OrdersError.notCancellable, "cancel a payment_failed order") {
                try provider.orders.cancel(env.manager, id: orderID)
            }
            try Expect.error(OrdersError.orderNotFound, "cancel an order that does not exist") {
                try provider.orders.cancel(env.manager, id: env.newID())
            }
        },
    ]
}
