import Contract
import PaymentsAPI
import Platform

extension PaymentsContract {
    static let validation: [Case] = [
        Case("invalid charges are refused with invalidInput naming the field, and record nothing") { payments, env in
            let key = env.key("invalid")
            var invalid: [(what: String, field: String, request: ChargeRequest)] = []
            for cents: Int64 in [0, -100] {
                invalid.append(("amount_cents \(cents)", "amount_cents", cash(env, "invalid", cents: cents)))
            }
            for currency in ["usd", "EURO", ""] {
                var request = cash(env, "invalid")
                request.currency = currency
                invalid.append(("currency \"\(currency)\"", "currency", request))
            }
            for token: String? in [nil, ""] {
                var request = card(env, "invalid")
                request.token = token
                invalid.append(("card token \(token.map { "\"\($0)\"" } ?? "missing")", "token", request))
            }
            var emptyKey = cash(env, "invalid")
            emptyKey.idempotencyKey = ""
            invalid.append(("empty idempotency key", "idempotency_key", emptyKey))

            for (what, field, request) in invalid {
                let error = try Expect.error(PaymentsError.invalidInput(field: field, reason: ""), "charge with \(what)") {
                    try payments.charge(env.cashier, request)
                }
                try Expect.that(error.detail.hasPrefix(field), "the error for \(what) names \(field) (\(error.detail))")
            }
            try Expect.none(try payments.payment(env.cashier, idempotencyKey: key), "payment under the key")
        },
        Case("invalid lookups are refused with invalidInput") { payments, env in
            try Expect.error(PaymentsError.invalidInput(field: "idempotency_key", reason: ""), "lookup by an empty key") {
                try payments.payment(env.cashier, idempotencyKey: "")
            }
            try Expect.error(PaymentsError.invalidInput(field: "order_id", reason: ""), "payments of an empty order id") {
                try payments.payments(env.cashier, orderID: "")
            }
        },
    ]
}
