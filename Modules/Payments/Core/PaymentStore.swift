import Events
import Foundation
import PaymentsAPI
import Postgres

/// The SQL of `payments.payments`. Every method runs on a connection inside
/// a transaction the service opened, scoped to `tenant` (and filters by it as
/// well); the events a change implies join that transaction's outbox, so a
/// change is never committed without them.
enum PaymentStore {
    static let schema = "payments"

    /// Inserts the payment of an unused idempotency key, with its
    /// `PaymentCaptured` when it is inserted captured (cash), in one
    /// statement, so that it can be a transaction of its own; nil when the
    /// key is taken. A twin inserting the same key concurrently makes this
    /// wait for its commit, then do nothing. The card token is kept only
    /// while the charge is pending, so that a later attempt can ask the
    /// processor again.
    static func insert(
        _ request: ChargeRequest, status: Payment.Status, tenant: String, on db: PostgresConnection
    ) throws -> PaymentRecord? {
        // Everything but the id, which the row gets from its default (see `Outbox.payload`).
        let captured = try Outbox.payload(
            PaymentCaptured(
                paymentID: "", orderID: request.orderID, amountCents: request.amountCents, currency: request.currency,
                method: request.method))
        guard let row = try db.query(
            """
            WITH inserted AS (
                INSERT INTO payments.payments
                    (tenant_id, idempotency_key, order_id, amount_cents, currency, method, status, card_token)
                VALUES (\(tenant), \(request.idempotencyKey), \(request.orderID), \(request.amountCents),
                        \(request.currency), \(request.method.rawValue), \(status.rawValue),
                        \(status == .pending ? request.token : nil))
                ON CONFLICT (tenant_id, idempotency_key) DO NOTHING
                RETURNING \(sql: PaymentRecord.columns)
            ), published AS (
                INSERT INTO payments.outbox (tenant_id, event_type, payload)
                SELECT \(tenant), \(PaymentCaptured.eventType),
                       jsonb_set(\(captured)::jsonb, '{payment_id}', to_jsonb(inserted.id))
                FROM inserted WHERE inserted.status = 'captured'
            )
            SELECT * FROM inserted
            """
        ).first else { return nil }
        return try PaymentRecord(row: row)
    }

    static func find(idempotencyKey: String, tenant: String, on db: PostgresConnection) throws -> PaymentRecord? {
        try db.query(
            """
            SELECT \(sql: PaymentRecord.columns) FROM payments.payments
            WHERE tenant_id = \(tenant) AND idempotency_key = \(idempotencyKey)
            """
        ).first.map(PaymentRecord.init(row:))
    }

    /// `lock`: held `FOR UPDATE` until the transaction ends.
    static func find(id: UUID, tenant: String, lock: Bool = false, on db: PostgresConnection) throws -> PaymentRecord? {
        let rows = lock
            ? try db.query(
                """
                SELECT \(sql: PaymentRecord.columns) FROM payments.payments
                WHERE tenant_id = \(tenant) AND id = \(id)
                FOR UPDATE
                """)
            : try db.query(
                """
                SELECT \(sql: PaymentRecord.columns) FROM payments.payments
                WHERE tenant_id = \(tenant) AND id = \(id)
                """)
        return try rows.first.map(PaymentRecord.init(row:))
    }

    /// The payments of one order, newest first.
    static func find(orderID: String, tenant: String, on db: PostgresConnection) throws -> [PaymentRecord] {
        try db.query(
            """
            SELECT \(sql: PaymentRecord.columns) FROM payments.payments
            WHERE tenant_id = \(tenant) AND order_id = \(orderID)
            ORDER BY created_at DESC, id DESC
            LIMIT 1000
            """
        ).map(PaymentRecord.init(row:))
    }

    /// The payment `id`, locked for its charge to be finished, with the card
    /// token kept on it; nil when there is none. `NOWAIT`: while a twin holds
    /// the row this throws at once (SQLSTATE 55P03) instead of queueing.
    static func lockForCharge(id: String, tenant: String, on db: PostgresConnection) throws
        -> (record: PaymentRecord, cardToken: String?)?
    {
        guard let row = try db.query(
            """
            SELECT \(sql: PaymentRecord.columns), card_token FROM payments.payments
            WHERE tenant_id = \(tenant) AND id = \(id)::uuid
            FOR UPDATE NOWAIT
            """
        ).first else { return nil }
        return (try PaymentRecord(row: row), try row.optionalString("card_token"))
    }

    /// Records an approved charge of the row the caller locked
    /// (`lockForCharge`; `reference`: the processor's) and forgets the card
    /// token. The update and its event are the transaction's last
    /// statements, sent with its `COMMIT` in one round trip
    /// (`executeAtCommit`): the row is locked, so the update finds it, and
    /// the captured payment is the locked one, approved.
    static func capture(_ locked: PaymentRecord, reference: String?, tenant: String, on db: PostgresConnection) throws
        -> PaymentRecord
    {
        try db.executeAtCommit(
            """
            UPDATE payments.payments
            SET status = 'captured', processor_reference = \(reference), card_token = NULL, updated_at = now()
            WHERE tenant_id = \(tenant) AND id = \(locked.payment.id)::uuid
            """)
        var captured = locked
        captured.payment.status = .captured
        captured.payment.processorReference = reference
        try publishCaptured(captured.payment, tenant: tenant, on: db)
        return captured
    }

    /// Records a declined charge of the row the caller locked under the code
    /// every replay will answer, and forgets the card token; sent with the
    /// transaction's `COMMIT`, like `capture`.
    static func decline(id: String, code: String, tenant: String, on db: PostgresConnection) throws {
        try db.executeAtCommit(
            """
            UPDATE payments.payments
            SET status = 'declined', failure_code = \(code), card_token = NULL, updated_at = now()
            WHERE tenant_id = \(tenant) AND id = \(id)::uuid
            """)
    }

    static func refund(id: UUID, reason: String?, tenant: String, on db: PostgresConnection) throws -> PaymentRecord {
        let refunded = try PaymentRecord(
            row: db.query(
                """
                UPDATE payments.payments
                SET status = 'refunded', refunded_at = now(), refund_reason = \(reason), updated_at = now()
                WHERE tenant_id = \(tenant) AND id = \(id)
                RETURNING \(sql: PaymentRecord.columns)
                """
            ).first!)
        let payment = refunded.payment
        try Outbox.append(
            PaymentRefunded(
                paymentID: payment.id, orderID: payment.orderID, amountCents: payment.amountCents,
                currency: payment.currency, reason: reason),
            tenant: tenant, schema: schema, on: db)
        return refunded
    }

    /// Checkout payments of every tenant that reconciliation has not settled
    /// (pending, or captured and not yet matched to a completed order) and
    /// that nobody changed for `grace` seconds, oldest first.
    static func unreconciled(grace: Double, on db: PostgresConnection) throws
        -> [(tenant: String, record: PaymentRecord)]
    {
        try db.execute("SELECT set_config('app.reconciliation', 'on', true)")
        return try db.query(
            """
            SELECT tenant_id, \(sql: PaymentRecord.columns) FROM payments.payments
            WHERE (status = 'pending' OR (status = 'captured' AND reconciled_at IS NULL))
              AND starts_with(idempotency_key, \(ChargeKeyNamespace.checkoutPrefix))
              AND updated_at < now() - make_interval(secs => \(grace))
            ORDER BY updated_at LIMIT 500
            """
        ).map { (tenant: try $0.string("tenant_id"), record: try PaymentRecord(row: $0)) }
    }

    /// Takes a captured payment that a completed order holds out of every later sweep.
    static func markReconciled(id: String, tenant: String, on db: PostgresConnection) throws {
        try db.execute(
            """
            UPDATE payments.payments SET reconciled_at = now()
            WHERE tenant_id = \(tenant) AND id = \(id)::uuid AND status = 'captured'
            """)
    }

    private static func publishCaptured(_ payment: Payment, tenant: String, on db: PostgresConnection) throws {
        try Outbox.append(
            PaymentCaptured(
                paymentID: payment.id, orderID: payment.orderID, amountCents: payment.amountCents,
                currency: payment.currency, method: payment.method),
            tenant: tenant, schema: schema, on: db)
    }
}
