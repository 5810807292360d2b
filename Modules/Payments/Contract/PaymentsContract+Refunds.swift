import Contract
import PaymentsAPI
import Platform

extension PaymentsContract {
    static let refunds: [Case] = [
        Case("a manager or an admin refunds a captured payment") { payments, env in
            for (role, context) in [("manager", env.manager), ("admin", env.admin)] {
                for request in [card(env, "refund-card-\(role)"), cash(env, "refund-cash-\(role)")] {
                    let payment = try payments.charge(env.cashier, request)
                    let refunded = try payments.refund(context, RefundRequest(paymentID: payment.id, reason: "contract"))
                    let what = "\(request.method.rawValue) payment refunded by \(role)"
                    try Expect.equal(refunded.id, payment.id, "\(what): id")
                    try Expect.equal(refunded.status, .refunded, "\(what): status")
                    try Expect.equal(refunded.amountCents, payment.amountCents, "\(what): amount_cents")
                    try Expect.some(refunded.refundedAt, "\(what): refunded_at")
                    try Expect.equal(try payments.payment(env.cashier, id: payment.id), refunded, "\(what): read back")
                }
            }
        },
        Case("a second refund is alreadyRefunded") { payments, env in
            let payment = try payments.charge(env.cashier, card(env, "twice"))
            let refunded = try payments.refund(env.manager, RefundRequest(paymentID: payment.id))
            try Expect.error(PaymentsError.alreadyRefunded, "second refund") {
                try payments.refund(env.manager, RefundRequest(paymentID: payment.id))
            }
            try Expect.equal(try payments.payment(env.cashier, id: payment.id), refunded, "the payment afterwards")
        },
        Case("a cashier cannot refund: AccessDenied, and the payment stays captured") { payments, env in
            let payment = try payments.charge(env.cashier, cash(env, "cashier-refund"))
            try Expect.error(AccessDenied(needed: .manager), "refund by a cashier") {
                try payments.refund(env.cashier, RefundRequest(paymentID: payment.id))
            }
            try Expect.equal(try payments.payment(env.cashier, id: payment.id).status, .captured, "status afterwards")
        },
        Case("a declined payment is notRefundable") { payments, env in
            let request = card(env, "declined-refund", token: "tok_declined")
            try Expect.error(PaymentsError.cardDeclined, "charge with tok_declined") {
                try payments.charge(env.cashier, request)
            }
            let declined = try Expect.some(
                try payments.payment(env.cashier, idempotencyKey: request.idempotencyKey), "the declined payment")
            try Expect.error(PaymentsError.notRefundable, "refund of a declined payment") {
                try payments.refund(env.manager, RefundRequest(paymentID: declined.id))
            }
            try Expect.equal(try payments.payment(env.cashier, id: declined.id).status, .declined, "status afterwards")
        },
    ]
}
