import PaymentsAPI
import Postgres

/// Reads a `payments.payments` row as the API's `Payment`.
enum PaymentRecord {
    /// The select list every query returning a payment uses.
    static let columns: StaticString = """
        id::text AS id, order_id, amount_cents, currency, method, status, idempotency_key,
        processor_reference, failure_code, created_at, refunded_at
        """

    static func payment(_ row: PostgresRow) throws -> Payment {
        guard let method = PaymentMethod(rawValue: try row.string("method")) else {
            throw PostgresError(kind: .decoding, message: "payments.payments.method holds an unknown method")
        }
        guard let status = Payment.Status(rawValue: try row.string("status")) else {
            throw PostgresError(kind: .decoding, message: "payments.payments.status holds an unknown status")
        }
        return Payment(
            id: try row.string("id"), orderID: try row.optionalString("order_id"),
            amountCents: try row.int64("amount_cents"), currency: try row.string("currency"), method: method,
            status: status, idempotencyKey: try row.string("idempotency_key"),
            processorReference: try row.optionalString("processor_reference"),
            failureCode: try row.optionalString("failure_code"), createdAt: try row.date("created_at"),
            refundedAt: try row.optionalDate("refunded_at"))
    }
}
