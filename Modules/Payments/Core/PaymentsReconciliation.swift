import Foundation
import PaymentsAPI
import Platform
import Postgres

/// The sweep that catches what the checkout saga could not see, in Payments'
/// own terms:
/// - a checkout payment (key `order:…`) captured, but held by no completed
///   order (cancelled, failed or absent: asked through `ChargeHolders`) is
///   refunded with reason `reconciliation`;
/// - a payment still pending after `grace` seconds is asked about again
///   (same key, so the processor answers its first answer or charges once).
/// A captured payment a completed order holds is marked reconciled and never
/// looked at again; one whose order is still pending is left to the saga.
///
/// Safe in many processes at once: a refund locks its payment row and
/// refuses a second refund; a second ask of one pending payment is turned
/// away (`chargeInProgress`) while the first holds the row.
package final class PaymentsReconciliation: Sendable {
    private let pool: PostgresPool
    private let payments: PaymentsService
    private let holders: any ChargeHolders
    private let grace: Double
    private let log: Log

    /// - Parameter grace: seconds a payment is left alone after its last
    ///   change, so checkouts in flight settle it themselves first.
    package init(pool: PostgresPool, payments: PaymentsService, holders: any ChargeHolders, grace: Double, log: Log = .shared) {
        self.pool = pool
        self.payments = payments
        self.holders = holders
        self.grace = grace
        self.log = log
    }

    /// One pass; recorded, and returned.
    @discardableResult
    package func sweep(callTimeout: Double = 10) throws -> ReconciliationSweep {
        let startedAt = Date()
        let candidates = try pool.transaction(tenant: nil) { try PaymentStore.unreconciled(grace: grace, on: $0) }
        var findings: [ReconciliationFinding] = []
        for (tenantValue, record) in candidates {
            guard let tenant = TenantID(tenantValue) else { continue }
            let payment = record.payment
            var context = CallContext.system(tenant: tenant, component: "reconciliation", requestID: "reconcile-\(payment.id)")
            context.deadline = Date(timeIntervalSinceNow: callTimeout)
            if let finding = reconcile(payment, tenant: tenant, context) { findings.append(finding) }
        }
        let sweep = ReconciliationSweep(
            id: UUID().uuidString.lowercased(), startedAt: startedAt, finishedAt: Date(), examined: candidates.count,
            findings: findings)
        try record(sweep)
        if !findings.isEmpty {
            log.info("reconciliation acted", ["examined": .int(sweep.examined), "findings": .int(findings.count)])
        }
        return sweep
    }

    private func reconcile(_ payment: Payment, tenant: TenantID, _ context: CallContext) -> ReconciliationFinding? {
        func finding(_ found: ReconciliationFinding.Found, _ action: ReconciliationFinding.Action, _ detail: String? = nil)
            -> ReconciliationFinding
        {
            ReconciliationFinding(
                tenant: tenant.value, paymentID: payment.id, orderID: payment.orderID, found: found, action: action,
                detail: detail)
        }
        switch payment.status {
        case .pending:
            do {
                let answered = try payments.reask(context, paymentID: payment.id)
                return finding(.pendingPastGrace, answered.status == .pending ? .stillPending : .captured)
            } catch let error as PaymentsError where error.isDecline {
                return finding(.pendingPastGrace, .declined)
            } catch {
                return finding(.pendingPastGrace, .stillPending, PaymentsReconciliation.describe(error))
            }
        case .captured:
            do {
                switch try holders.holder(of: payment, tenant: tenant) {
                case .completedOrder:
                    try markReconciled(payment, tenant: tenant)
                    return nil
                case .pendingOrder:
                    return nil
                case .none:
                    _ = try payments.refund(context, RefundRequest(paymentID: payment.id, reason: "reconciliation"))
                    return finding(.capturedWithoutCompletedOrder, .refunded)
                }
            } catch let error as PaymentsError where error == .alreadyRefunded {
                return nil  // another process's sweep (or a cancel) gave it back first
            } catch {
                return finding(.capturedWithoutCompletedOrder, .refundFailed, PaymentsReconciliation.describe(error))
            }
        case .declined, .refunded:
            return nil
        }
    }

    private func markReconciled(_ payment: Payment, tenant: TenantID) throws {
        try pool.transaction(tenant: tenant.value) {
            try PaymentStore.markReconciled(id: payment.id, tenant: tenant.value, on: $0)
        }
    }

    private func record(_ sweep: ReconciliationSweep) throws {
        try pool.transaction(tenant: nil) { try ReconciliationStore.insert(sweep, on: $0) }
    }

    /// The most recent sweeps, newest first, with their findings.
    package func recent(limit: Int = 20) throws -> [ReconciliationSweep] {
        try pool.transaction(tenant: nil) { try ReconciliationStore.recent(limit: limit, on: $0) }
    }

    /// An error's stable code for the findings list, else its type.
    private static func describe(_ error: any Error) -> String {
        (error as? any ProblemConvertible)?.problem.code ?? String(describing: type(of: error))
    }
}
