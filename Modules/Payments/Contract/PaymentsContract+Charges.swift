import Contract
import PaymentsAPI
import Platform

extension PaymentsContract {
    static let charges: [Case] = [
        Case("a cash charge is captured") { payments, env in
            let order = env.newID()
            let request = cash(env, "cash", cents: 1250, orderID: order)
            let payment = try payments.charge(env.cashier, request)
            try Expect.equal(payment.status, .captured, "status")
            try Expect.equal(payment.method, .cash, "method")
            try Expect.equal(payment.amountCents, 1250, "amount_cents")
            try Expect.equal(payment.currency, "USD", "currency")
            try Expect.equal(payment.idempotencyKey, request.idempotencyKey, "idempotency_key")
            try Expect.equal(payment.orderID, order, "order_id")
            try Expect.none(payment.failureCode, "failure_code")
            try Expect.none(payment.refundedAt, "refunded_at")
            try Expect.that(!payment.id.isEmpty, "the payment has an id")
        },
        Case("a card charge with tok_visa is captured with a processor reference") { payments, env in
            let request = card(env, "visa", cents: 2490)
            let payment = try payments.charge(env.cashier, request)
            try Expect.equal(payment.status, .captured, "status")
            try Expect.equal(payment.method, .card, "method")
            try Expect.equal(payment.amountCents, 2490, "amount_cents")
            try Expect.equal(payment.currency, "EUR", "currency")
            try Expect.none(payment.orderID, "order_id of a charge without an order")
            try Expect.some(payment.processorReference, "processor_reference")
            try Expect.none(payment.failureCode, "failure_code")
        },
        Case("a replay with the same key returns the same payment and charges once") { payments, env in
            for request in [card(env, "card-replay"), cash(env, "cash-replay")] {
                let first = try payments.charge(env.cashier, request)
                let replay = try payments.charge(env.cashier, request)
                try Expect.equal(replay, first, "replay of a \(request.method.rawValue) charge")
                // A retry may come from another till, with the card presented again.
                var again = request
                if again.method == .card { again.token = "tok_mastercard" }
                try Expect.equal(try payments.charge(env.manager, again), first, "replay by another user")
                let recorded = try payments.payment(env.cashier, idempotencyKey: request.idempotencyKey)
                try Expect.equal(recorded, first, "the one payment recorded under the key")
            }
        },
        Case("the same key for a different charge is keyReused, and the first payment stands") { payments, env in
            let request = card(env, "reused", cents: 2490)
            let first = try payments.charge(env.cashier, request)
            var otherAmount = request
            otherAmount.amountCents = 2491
            try Expect.error(PaymentsError.keyReused, "same key, different amount") {
                try payments.charge(env.cashier, otherAmount)
            }
            var otherCurrency = request
            otherCurrency.currency = "USD"
            try Expect.error(PaymentsError.keyReused, "same key, different currency") {
                try payments.charge(env.cashier, otherCurrency)
            }
            var otherMethod = request
            otherMethod.method = .cash
            otherMethod.token = nil
            try Expect.error(PaymentsError.keyReused, "same key, different method") {
                try payments.charge(env.cashier, otherMethod)
            }
            try Expect.equal(try payments.payment(env.cashier, id: first.id), first, "the first payment afterwards")
        },
        Case("a call without a role is refused with AccessDenied and records nothing") { payments, env in
            let request = cash(env, "anonymous")
            try Expect.error(AccessDenied(needed: .cashier), "charge without a role") {
                try payments.charge(env.context(nil), request)
            }
            try Expect.none(
                try payments.payment(env.cashier, idempotencyKey: request.idempotencyKey), "payment under the key")
        },
    ]

    /// The simulator's decline tokens and the typed error each must become.
    static let declineTokens: [(token: String, decline: PaymentsError)] = [
        ("tok_declined", .cardDeclined), ("tok_insufficient_funds", .insufficientFunds),
    ]

    static let declines: [Case] = declineTokens.map { token, decline in
        Case("a card charge with \(token) is declined \(decline.code), and a replay declines the same") {
            payments, env in
            let request = card(env, token, token: token, cents: 990, orderID: env.newID())
            let thrown = try Expect.error(decline, "charge with \(token)") { try payments.charge(env.cashier, request) }
            try Expect.that(thrown.isDecline, "the error is a decline (isDecline)")
            try Expect.error(decline, "replay of the declined charge") { try payments.charge(env.cashier, request) }
            let recorded = try Expect.some(
                try payments.payment(env.cashier, idempotencyKey: request.idempotencyKey), "the declined payment by key")
            try Expect.equal(recorded.status, .declined, "status of the declined payment")
            try Expect.equal(recorded.failureCode, decline.code, "failure_code of the declined payment")
            try Expect.equal(recorded.orderID, request.orderID, "order_id of the declined payment")
        }
    }
}
