import Contract
import PaymentsAPI
import Platform

extension PaymentsContract {
    static let lookups: [Case] = [
        Case("a payment is found by its id") { payments, env in
            let payment = try payments.charge(env.cashier, card(env, "by-id"))
            try Expect.equal(try payments.payment(env.cashier, id: payment.id), payment, "payment by id")
        },
        Case("the payments of an order are found by order id, declines included") { payments, env in
            let order = env.newID()
            let declined = card(env, "order-declined", token: "tok_declined", orderID: order)
            try Expect.error(PaymentsError.cardDeclined, "first attempt") { try payments.charge(env.cashier, declined) }
            let paid = try payments.charge(env.cashier, card(env, "order-paid", orderID: order))
            _ = try payments.charge(env.cashier, card(env, "another-order", orderID: env.newID()))
            let found = try payments.payments(env.cashier, orderID: order)
            try Expect.equal(found.count, 2, "payments of the order")
            try Expect.that(found.contains(paid), "the captured payment is among them")
            try Expect.that(
                found.contains { $0.idempotencyKey == declined.idempotencyKey && $0.status == .declined },
                "the declined attempt is among them")
            try Expect.equal(try payments.payments(env.cashier, orderID: env.newID()), [], "payments of an unknown order")
        },
        Case("a payment is found by its idempotency key; an unused key finds nil") { payments, env in
            let request = cash(env, "by-key")
            let payment = try payments.charge(env.cashier, request)
            try Expect.equal(
                try payments.payment(env.cashier, idempotencyKey: request.idempotencyKey), payment, "payment by key")
            try Expect.none(try payments.payment(env.cashier, idempotencyKey: env.key("unused")), "unused key")
        },
        Case("an unknown payment id is paymentNotFound") { payments, env in
            let unknown = env.newID()
            try Expect.error(PaymentsError.paymentNotFound, "payment with an unknown id") {
                try payments.payment(env.cashier, id: unknown)
            }
            try Expect.error(PaymentsError.paymentNotFound, "refund of an unknown id") {
                try payments.refund(env.manager, RefundRequest(paymentID: unknown))
            }
            try Expect.error(PaymentsError.paymentNotFound, "payment with an id that is not a UUID") {
                try payments.payment(env.cashier, id: "not-a-payment")
            }
        },
    ]
}
