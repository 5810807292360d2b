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
    static let orderID = QueryParameter.string("order_id")

    static func routes(payments: any PaymentsFacade) -> [Route] {
        let group = RouteGroup(
            "/api/v1/payments", access: .user,
            problems: PipelineProblems.routedCall(to: "payments"))
        let notFound = PaymentsError.paymentNotFound
        return [
            group.get(
                summary: "An order's payments", query: [orderID],
                problems: [PaymentsError.invalidInput(field: "order_id", reason: "1 to 200 printable ASCII characters")]
            ) { context in
                PaymentList(payments: try payments.payments(context.callContext, orderID: try context.query(orderID)))
            },
            group.post(
                "/process", summary: "Take a payment outside a checkout (the original service's endpoint)",
                body: ProcessPayment.self, headers: [.idempotencyKey(required: true)],
                problems: [
                    PaymentsError.cardDeclined, PaymentsError.insufficientFunds, PaymentsError.keyReused,
                    PaymentsError.chargeInProgress, PaymentsError.processorUnavailable,
                ]
            ) { context, body in
                let call = context.callContext
                guard let key = call.idempotencyKey, !key.isEmpty else {
                    throw PaymentsError.invalidInput(field: "Idempotency-Key", reason: "the header is required")
                }
                guard !ChargeKeyNamespace.isReserved(key) else {
                    throw PaymentsError.invalidInput(
                        field: "Idempotency-Key",
                        reason:
                            "keys starting with \(ChargeKeyNamespace.reservedPrefixes.joined(separator: ", ")) are reserved for checkouts"
                    )
                }
                let request = ChargeRequest(
                    idempotencyKey: key, amountCents: body.amountCents, currency: body.currency,
                    method: body.method, token: body.token, orderID: body.orderID)
                return Created(try payments.charge(call, request))
            },
            group.get("/{id}", summary: "One payment", problems: [notFound]) { context in
                try payments.payment(context.callContext, id: context.parameter("id"))
            },
            // The body is optional: `{"reason": "…"}` or nothing at all.
            group.post(
                "/{id}/refund", summary: "Refund a captured payment in full (manager+)", body: RefundBody.self,
                whenEmpty: RefundBody(),
                problems: [notFound, PaymentsError.alreadyRefunded, PaymentsError.notRefundable]
            ) { context, body in
                try payments.refund(
                    context.callContext, RefundRequest(paymentID: context.parameter("id"), reason: body.reason))
            },
        ]
    }

    struct PaymentList: Codable {
        var payments: [Payment]
    }

    /// The original service's request body; the key is in the header.
    struct ProcessPayment: Codable, Sendable {
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

    struct RefundBody: Codable, Sendable {
        var reason: String?
    }
}
