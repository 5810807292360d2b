/// How many requests of each kind the simulator saw since it started (not
/// journaled: a restart starts them at zero, the ledger itself survives).
struct LedgerCounters: Codable, Sendable, Equatable {
    var chargeRequests = 0
    var chargeReplays = 0
    var chargesWithheld = 0
    var errorsInjected = 0
    var refundRequests = 0
    var refundReplays = 0
    var refundsRefused = 0
    /// A known key sent again with another amount, currency, token or charge.
    var keyConflicts = 0

    enum CodingKeys: String, CodingKey {
        case chargeRequests = "charge_requests"
        case chargeReplays = "charge_replays"
        case chargesWithheld = "charges_withheld"
        case errorsInjected = "errors_injected"
        case refundRequests = "refund_requests"
        case refundReplays = "refund_replays"
        case refundsRefused = "refunds_refused"
        case keyConflicts = "key_conflicts"
    }
}
