/// What `processor-sim` answers to `POST /charges` and `POST /refunds`, as
/// `HTTPCardProcessor` reads it: an id on success, a code on refusal.
struct ProcessorAnswer: Decodable, Equatable {
    /// `ch_…` for an approved charge, `re_…` for a refund.
    var id: String?
    /// `approved` or `refunded`.
    var status: String?
    /// Why it was refused: `card_declined`, `missing_idempotency_key`, …
    var code: String?
    /// The refunded charge, on a refund.
    var chargeID: String?

    enum CodingKeys: String, CodingKey {
        case id, status, code
        case chargeID = "charge_id"
    }
}
