/// One charge the simulated processor decided, by its idempotency key (for
/// Banyan, the payment's id). A key is decided once; every repeat is answered
/// from this record.
struct LedgerCharge: Codable, Sendable, Equatable {
    enum Status: String, Codable, Sendable {
        case approved
        case declined
    }

    var key: String
    /// `ch_…` for an approved charge; nil for a decline (nothing to refund).
    var chargeID: String?
    var amountCents: Int64
    var currency: String
    var token: String
    var status: Status
    /// `card_declined` or `insufficient_funds` for a decline.
    var declineCode: String?
    /// The first answer was withheld (drop after charge): the caller never heard of it.
    var withheld: Bool
    var refunded: Bool = false
    var refundKey: String?
    var refundID: String?
    /// Milliseconds since 1970, when it was decided.
    var createdAtMS: Int64

    enum CodingKeys: String, CodingKey {
        case key, currency, token, status, withheld, refunded
        case chargeID = "charge_id"
        case amountCents = "amount_cents"
        case declineCode = "decline_code"
        case refundKey = "refund_key"
        case refundID = "refund_id"
        case createdAtMS = "created_at_ms"
    }
}
