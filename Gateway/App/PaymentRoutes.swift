import HTTPServer
import PaymentsAPI
import Platform

/// `/api/v1/payments`: HTTP in front of the `PaymentsFacade`.
///
/// `POST /api/v1/payments/process` keeps the original service's shape: the
/// idempotency key travels in the `Idempotency-Key` header, and a replay of
/// a key answers 201 with the same payment, exactly as the first call did,
/// so a client retrying after a lost response cannot tell the difference
/// (nor needs to). A replayed decline answers the same 402 again.
enum PaymentRoutes {
    static func routes(payments: any PaymentsFacade) -> [Route] {
        [
            Route("GET", "/api/v1/payments", access: .user) { context in
                guard let orderID = context.request.queryParameters["order_id"], !orderID.isEmpty else {
                    throw PaymentsError.invalidInput(field: "order_id", reason: "is required")
                }
                return try JSONCoding.response(
                    PaymentList(payments: try payments.payments(context.callContext, orderID: orderID)))
            },
            Route("POST", "/api/v1/payments/process", access: .user) { context in
                let body = try context.decode(ProcessPayment.self)
                let call = context.callContext
                guard let key = call.idempotencyKey, !key.isEmpty else {
                    throw PaymentsError.invalidInput(field: "Idempotency-Key", reason: "the header is required")
                }
                guard !ChargeKeyNamespace.isReserved(key) else {
                    throw PaymentsError.invalidInput(
                        field: "Idempotency-Key",
                        reason: "keys starting with \(ChargeKeyNamespace.reservedPrefixes.joined(separator: ", ")) are reserved for checkouts")
                }
                let request = ChargeRequest(
                    idempotencyKey: key, amountCents: body.amountCents, currency: body.currency,
                    method: body.method, token: body.token, orderID: body.orderID)
                return try JSONCoding.response(try payments.charge(call, request), status: 201)
            },
            Route("GET", "/api/v1/payments/{id}", access: .user) { context in
                try JSONCoding.response(try payments.payment(context.callContext, id: context.parameter("id")))
            },
            Route("POST", "/api/v1/payments/{id}/refund", access: .user) { context in
                // The body is optional: `{"reason": "…"}` or nothing at all.
                let reason = context.request.body.isEmpty ? nil : try context.decode(RefundBody.self).reason
                return try JSONCoding.response(
                    try payments.refund(
                        context.callContext, RefundRequest(paymentID: context.parameter("id"), reason: reason)))
            },
        ]
    }

    struct PaymentList: Encodable {
        var payments: [Payment]
    }

    /// The original service's request body; the key is in the header.
    struct ProcessPayment: Decodable {
        var amountCents: Int64
        var currency: String
        var method: PaymentMethod
        var orderID: String?
        var token: String?

        enum CodingKeys: String, CodingKey {
            case currency, method, token
            case amountCents = "amount_cents"
            case orderID = "order_id"
        }
    }

    struct RefundBody: Decodable {
        var reason: String?
    }
}
