import Foundation
import PaymentsAPI
import Platform
import Postgres

/// The in-process implementation of `PaymentsFacade`, over the `payments` schema.
///
/// A charge is written ahead of the money: the `pending` row is committed
/// before the processor is asked, so a crash at any point leaves either
/// nothing (nothing was charged) or a `pending` row that a retry with the
/// same idempotency key finishes. The processor is always asked with the
/// payment's id as its idempotency key — stable across retries, unique
/// across tenants — so a retry never charges twice.
///
/// While the processor is asked, the pending row is held `FOR UPDATE` in an
/// open transaction. That costs a database connection for the length of the
/// outbound call (instant with the simulator, up to the HTTP client's
/// timeout with a real gateway), and buys the simplest proof that two
/// concurrent calls with one key never both reach the processor: the second
/// one's `FOR UPDATE NOWAIT` fails and it answers `chargeInProgress` at once
/// instead of queueing behind the first.
package final class PaymentsService: PaymentsFacade {
    /// SQLSTATE 55P03: `NOWAIT` found the row locked.
    static let lockNotAvailable = "55P03"

    private let pool: PostgresPool
    private let processor: any CardProcessor

    package init(pool: PostgresPool, processor: any CardProcessor) {
        self.pool = pool
        self.processor = processor
    }

    // MARK: - Charge

    package func charge(_ context: CallContext, _ request: ChargeRequest) throws -> Payment {
        try context.require(.cashier)
        try request.validate()
        let tenant = context.tenant.value
        let recorded = try record(request, tenant: tenant)
        if recorded.inserted {
            // Cash is captured by `record`; a fresh card row is ours to finish.
            return recorded.payment.status == .pending
                ? try finish(recorded.payment, tenant: tenant, deadline: context.deadline) : recorded.payment
        }
        let existing = recorded.payment
        guard request.matches(existing) else { throw PaymentsError.keyReused }
        switch existing.status {
        case .captured, .refunded:
            return existing
        case .declined:
            throw PaymentsService.decline(code: existing.failureCode)
        case .pending:
            // A retry after a crash or an unavailable processor, or a concurrent twin.
            return try finish(existing, tenant: tenant, deadline: context.deadline, token: request.token)
        }
    }

    /// Asks the processor again about a payment left pending (same key, the
    /// token kept on the row), and records its answer: what reconciliation
    /// does with a payment pending past its grace. A settled payment is
    /// returned as it is.
    func reask(_ context: CallContext, paymentID: String) throws -> Payment {
        let payment = try payment(context, id: paymentID)
        guard payment.status == .pending else { return payment }
        return try finish(payment, tenant: context.tenant.value, deadline: context.deadline)
    }

    /// Transaction 1: the row under the idempotency key, inserted or found.
    /// Cash needs no processor, so it is inserted `captured` with its event.
    /// One statement either way, so its own transaction (the read after it
    /// only explains a taken key).
    private func record(_ request: ChargeRequest, tenant: String) throws -> (payment: Payment, inserted: Bool) {
        let status: Payment.Status = request.method == .cash ? .captured : .pending
        return try pool.autocommit(tenant: tenant) { db in
            if let inserted = try PaymentStore.insert(request, status: status, tenant: tenant, on: db) {
                return (inserted.payment, true)
            }
            // The key was taken, by an earlier call or by a twin whose commit the insert waited for.
            guard let existing = try PaymentStore.find(idempotencyKey: request.idempotencyKey, tenant: tenant, on: db)
            else {
                // Rows are never deleted, so a conflict always leaves one to read.
                throw PostgresError(kind: .decoding, message: "payments.payments lost the row of a conflicting key")
            }
            return (existing.payment, false)
        }
    }

    private enum Outcome {
        case settled(Payment)
        case declined(PaymentsError)
    }

    /// Transaction 2: lock the pending row (or learn that a twin holds it),
    /// ask the processor with the token kept on the row, record its answer.
    /// `token`: the retry's own, which wins over the one kept on the row
    /// (a row written before tokens were kept has none).
    private func finish(_ pending: Payment, tenant: String, deadline: Date?, token: String? = nil) throws -> Payment {
        let outcome: Outcome
        do {
            outcome = try pool.transaction(tenant: tenant) { db -> Outcome in
                guard let (locked, cardToken) = try PaymentStore.lockForCharge(id: pending.id, tenant: tenant, on: db)
                else { throw PaymentsError.paymentNotFound }
                let current = locked.payment
                switch current.status {
                case .captured, .refunded: return .settled(current)  // a twin finished it first
                case .declined: return .declined(PaymentsService.decline(code: current.failureCode))
                case .pending: break
                }
                let authorization: CardAuthorization
                switch current.method {
                case .cash:
                    authorization = .approved(reference: "")
                case .card:
                    // The pool may run this body again after a deadlock; the
                    // processor answers a repeated key with its first answer.
                    authorization = try processor.authorize(
                        amountCents: current.amountCents, currency: current.currency,
                        token: token ?? cardToken ?? "", idempotencyKey: current.id,
                        deadline: deadline)
                }
                switch authorization {
                case .approved(let reference):
                    let captured = try PaymentStore.capture(
                        locked, reference: reference.isEmpty ? nil : reference, tenant: tenant, on: db)
                    return .settled(captured.payment)
                case .declined(let reason):
                    // Unknown processor reasons read as a plain decline: the code
                    // stored is the one every replay will throw.
                    let decline = PaymentsError.decline(reason: reason) ?? .cardDeclined
                    try PaymentStore.decline(id: current.id, code: decline.code, tenant: tenant, on: db)
                    return .declined(decline)
                }
            }
        } catch let error as PostgresError where error.sqlState == PaymentsService.lockNotAvailable {
            throw PaymentsError.chargeInProgress
        }
        switch outcome {
        case .settled(let payment): return payment
        case .declined(let decline): throw decline  // after the commit, so the decline is remembered
        }
    }

    private static func decline(code: String?) -> PaymentsError {
        code.flatMap { PaymentsError.decline(reason: $0) } ?? .cardDeclined
    }

    // MARK: - Refund

    package func refund(_ context: CallContext, _ request: RefundRequest) throws -> Payment {
        try context.require(.manager)
        guard let id = UUID(uuidString: request.paymentID) else { throw PaymentsError.paymentNotFound }
        if let reason = request.reason, reason.count > 500 || reason.utf8.contains(0) {
            throw PaymentsError.invalidInput(field: "reason", reason: "at most 500 characters, no NUL")
        }
        let tenant = context.tenant.value
        // The row lock makes concurrent refunds of one payment take turns:
        // the second sees `refunded` and the processor is asked once.
        return try pool.transaction(tenant: tenant) { db in
            guard let payment = try PaymentStore.find(id: id, tenant: tenant, lock: true, on: db)?.payment else {
                throw PaymentsError.paymentNotFound
            }
            switch payment.status {
            case .refunded: throw PaymentsError.alreadyRefunded
            case .pending, .declined: throw PaymentsError.notRefundable
            case .captured: break
            }
            if payment.method == .card {
                guard let reference = payment.processorReference else { throw PaymentsError.notRefundable }
                try processor.refund(
                    reference: reference, amountCents: payment.amountCents, currency: payment.currency,
                    idempotencyKey: "refund:" + payment.id)
            }
            return try PaymentStore.refund(id: id, reason: request.reason, tenant: tenant, on: db).payment
        }
    }

    // MARK: - Reads

    package func payment(_ context: CallContext, id: String) throws -> Payment {
        try context.require(.cashier)
        // Not a uuid cannot be a payment: answered like any unknown id.
        guard let id = UUID(uuidString: id) else { throw PaymentsError.paymentNotFound }
        let tenant = context.tenant.value
        let found = try pool.autocommit(tenant: tenant) { try PaymentStore.find(id: id, tenant: tenant, on: $0) }
        guard let found else { throw PaymentsError.paymentNotFound }
        return found.payment
    }

    package func payments(_ context: CallContext, orderID: String) throws -> [Payment] {
        try context.require(.cashier)
        guard PaymentInput.isPrintable(orderID, maxLength: 200) else {
            throw PaymentsError.invalidInput(field: "order_id", reason: "1 to 200 printable ASCII characters")
        }
        let tenant = context.tenant.value
        return try pool.autocommit(tenant: tenant) {
            try PaymentStore.find(orderID: orderID, tenant: tenant, on: $0).map(\.payment)
        }
    }

    package func payment(_ context: CallContext, idempotencyKey: String) throws -> Payment? {
        try context.require(.cashier)
        try PaymentInput.checkIdempotencyKey(idempotencyKey)
        let tenant = context.tenant.value
        return try pool.autocommit(tenant: tenant) {
            try PaymentStore.find(idempotencyKey: idempotencyKey, tenant: tenant, on: $0)?.payment
        }
    }
}
