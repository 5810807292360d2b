import Contract
import PaymentsAPI
import Platform

extension PaymentsContract {
    static let isolation: [Case] = [
        Case("another tenant can neither see nor refund a payment") { payments, env in
            let order = env.newID()
            let request = card(env, "isolated", orderID: order)
            let payment = try payments.charge(env.cashier, request)
            let stranger = env.otherTenantContext(.admin)
            try Expect.error(PaymentsError.paymentNotFound, "other tenant: payment by id") {
                try payments.payment(stranger, id: payment.id)
            }
            try Expect.error(PaymentsError.paymentNotFound, "other tenant: refund") {
                try payments.refund(stranger, RefundRequest(paymentID: payment.id))
            }
            try Expect.none(
                try payments.payment(stranger, idempotencyKey: request.idempotencyKey), "other tenant: payment by key")
            try Expect.equal(try payments.payments(stranger, orderID: order), [], "other tenant: payments of the order")
            try Expect.equal(try payments.payment(env.cashier, id: payment.id), payment, "the owner's payment afterwards")
        },
        Case("idempotency keys belong to their tenant") { payments, env in
            let request = cash(env, "shared-key", cents: 1000)
            let mine = try payments.charge(env.cashier, request)
            var theirs = request
            theirs.amountCents = 2000
            let other = try payments.charge(env.otherTenantContext(.cashier), theirs)
            try Expect.that(other.id != mine.id, "the other tenant's charge is a payment of its own")
            try Expect.equal(other.amountCents, 2000, "the other tenant's amount_cents")
            try Expect.equal(try payments.payment(env.cashier, id: mine.id), mine, "the first tenant's payment afterwards")
        },
    ]
}
