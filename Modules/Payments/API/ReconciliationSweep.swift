import Foundation

/// One pass of payments reconciliation: what it looked at, found and did.
public struct ReconciliationSweep: Codable, Sendable, Equatable {
    public var id: String
    public var startedAt: Date
    public var finishedAt: Date
    /// Payments looked at (captured and not yet confirmed held, or pending past their grace).
    public var examined: Int
    /// Only what needed attention: confirmed holdings are not listed.
    public var findings: [ReconciliationFinding]

    public init(id: String, startedAt: Date, finishedAt: Date, examined: Int, findings: [ReconciliationFinding]) {
        self.id = id
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.examined = examined
        self.findings = findings
    }

    enum CodingKeys: String, CodingKey {
        case id, examined, findings
        case startedAt = "started_at"
        case finishedAt = "finished_at"
    }
}

public struct ReconciliationFinding: Codable, Sendable, Equatable {
    public enum Found: String, Codable, Sendable, CaseIterable {
        /// Money taken that no completed order holds.
        case capturedWithoutCompletedOrder = "captured_without_completed_order"
        /// A charge whose outcome was still unknown after its grace.
        case pendingPastGrace = "pending_past_grace"
    }

    public enum Action: String, Codable, Sendable, CaseIterable {
        /// Given back (`PaymentRefunded` with reason `reconciliation`).
        case refunded
        /// Asked again: the processor says it was captured.
        case captured
        /// Asked again: the processor says it was declined.
        case declined
        /// Asked again: still no definite answer; the next sweep asks again.
        case stillPending = "still_pending"
        /// The refund failed; the next sweep tries again.
        case refundFailed = "refund_failed"
    }

    public var tenant: String
    public var paymentID: String
    public var orderID: String?
    public var found: Found
    public var action: Action
    /// The error behind `still_pending` or `refund_failed`.
    public var detail: String?

    public init(tenant: String, paymentID: String, orderID: String?, found: Found, action: Action, detail: String? = nil) {
        self.tenant = tenant
        self.paymentID = paymentID
        self.orderID = orderID
        self.found = found
        self.action = action
        self.detail = detail
    }

    enum CodingKeys: String, CodingKey {
        case tenant, found, action, detail
        case paymentID = "payment_id"
        case orderID = "order_id"
    }
}
