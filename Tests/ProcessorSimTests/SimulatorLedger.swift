/// `GET /_sim/ledger` as the fault harness reads it: every charge in the
/// order it was decided, every refund, the request counters and the totals.
struct SimulatorLedger: Decodable {
    struct Charge: Decodable, Equatable {
        enum Status: String, Decodable {
            case approved
            case declined
        }

        var key: String
        var chargeID: String?
        var amountCents: Int
        var token: String
        var status: Status
        var declineCode: String?
        var withheld: Bool
        var refunded: Bool
        var refundKey: String?

        enum CodingKeys: String, CodingKey {
            case key, token, status, withheld, refunded
            case chargeID = "charge_id"
            case amountCents = "amount_cents"
            case declineCode = "decline_code"
            case refundKey = "refund_key"
        }
    }

    struct Refund: Decodable, Equatable {
        var key: String
        var refundID: String
        var chargeID: String

        enum CodingKeys: String, CodingKey {
            case key
            case refundID = "refund_id"
            case chargeID = "charge_id"
        }
    }

    struct Counters: Decodable, Equatable {
        var errorsInjected: Int

        enum CodingKeys: String, CodingKey {
            case errorsInjected = "errors_injected"
        }
    }

    struct Totals: Decodable, Equatable {
        var approved: Int
        var refunded: Int
        var netCents: Int

        enum CodingKeys: String, CodingKey {
            case approved, refunded
            case netCents = "net_cents"
        }
    }

    var charges: [Charge]
    var refunds: [Refund]
    var counters: Counters
    var totals: Totals
}
