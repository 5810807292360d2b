/// `GET /_sim/ledger`: every charge in the order it was decided, every
/// refund, the request counters, and totals a reader would otherwise add up.
struct LedgerSnapshot: Encodable, Sendable {
    struct Totals: Encodable, Sendable {
        var approved = 0
        var approvedCents: Int64 = 0
        var declined = 0
        var refunded = 0
        var refundedCents: Int64 = 0
        /// Approved and not refunded: the money the processor moved for good.
        var netCents: Int64 = 0

        enum CodingKeys: String, CodingKey {
            case approved, declined, refunded
            case approvedCents = "approved_cents"
            case refundedCents = "refunded_cents"
            case netCents = "net_cents"
        }
    }

    var charges: [LedgerCharge]
    var refunds: [LedgerRefund]
    var counters: LedgerCounters
    var totals: Totals

    init(charges: [LedgerCharge], refunds: [LedgerRefund], counters: LedgerCounters) {
        self.charges = charges
        self.refunds = refunds
        self.counters = counters
        var totals = Totals()
        for charge in charges {
            switch charge.status {
            case .approved:
                totals.approved += 1
                totals.approvedCents += charge.amountCents
                if !charge.refunded { totals.netCents += charge.amountCents }
            case .declined:
                totals.declined += 1
            }
        }
        for refund in refunds {
            totals.refunded += 1
            totals.refundedCents += refund.amountCents
        }
        self.totals = totals
    }
}
