import PaymentsAPI
import Platform

// Answers the gateway writes from types of its own, which no module's API
// names: the tests read them back with these, keys as the wire spells them.

/// `GET /api/v1/payments?order_id=…`.
struct PaymentList: Decodable {
    var payments: [Payment]
}

/// `GET /admin/reconciliation`: the latest sweeps, newest first.
struct SweepList: Decodable {
    var sweeps: [ReconciliationSweep]
}

/// `POST /admin/recovery/run`.
struct RecoveryPass: Decodable {
    /// Pending checkouts the pass settled.
    var settled: Int
}

/// `GET /api/v1/auth/me`: whom the token speaks for.
struct Caller: Decodable {
    var id: String
    var username: String
    var role: Role
    var tenantID: String

    enum CodingKeys: String, CodingKey {
        case id, username, role
        case tenantID = "tenant_id"
    }
}
