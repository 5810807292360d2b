import PaymentsAPI
import Platform

extension ChargeRequest {
    static let maxAmountCents: Int64 = 100_000_000

    /// Refuses a request before anything is written, naming the field.
    func validate() throws(PaymentsError) {
        try PaymentInput.checkIdempotencyKey(idempotencyKey)
        guard (1...ChargeRequest.maxAmountCents).contains(amountCents) else {
            throw .invalidInput(field: "amount_cents", reason: "must be 1 to \(ChargeRequest.maxAmountCents)")
        }
        guard Money.isValidCurrency(currency) else {
            throw .invalidInput(field: "currency", reason: "must be an ISO 4217 code such as EUR")
        }
        if let orderID {
            guard PaymentInput.isPrintable(orderID, maxLength: 200) else {
                throw .invalidInput(field: "order_id", reason: "1 to 200 printable ASCII characters")
            }
        }
        if method == .card {
            guard let token, PaymentInput.isPrintable(token, maxLength: 200) else {
                throw .invalidInput(field: "token", reason: "a card payment needs the card token (1 to 200 characters)")
            }
        }
    }

    /// Whether `payment` was recorded for this same charge. A retry may not
    /// change what is charged; the token may differ (it is never stored).
    func matches(_ payment: Payment) -> Bool {
        payment.amountCents == amountCents && payment.currency == currency && payment.method == method
            && payment.orderID == orderID
    }
}
