/// One refund the simulated processor made, by its idempotency key (for
/// Banyan, `refund:<payment id>`). Only refunds that happened are recorded: a
/// refused refund changed nothing, so a repeat is judged afresh.
struct LedgerRefund: Codable, Sendable, Equatable {
    var key: String
    var refundID: String
    var chargeID: String
    var amountCents: Int64
    var createdAtMS: Int64

    enum CodingKeys: String, CodingKey {
        case key
        case refundID = "refund_id"
        case chargeID = "charge_id"
        case amountCents = "amount_cents"
        case createdAtMS = "created_at_ms"
    }
}
