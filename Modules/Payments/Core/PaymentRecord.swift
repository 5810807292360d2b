import PaymentsAPI
import Postgres

/// A `payments.payments` row as the API shows it. (The card token, kept
/// only while a charge is pending, is read by the one statement that needs
/// it: `PaymentStore.lockForCharge`.)
struct PaymentRecord {
    var payment: Payment

    /// The select list every statement returning a payment uses.
    static let columns: StaticString = """
        id::text AS id, order_id, amount_cents, currency, method, status, idempotency_key,
        processor_reference, failure_code, created_at, refunded_at
        """

    init(row: PostgresRow) throws {
        guard let method = PaymentMethod(rawValue: try row.string("method")) else {
            throw PostgresError(kind: .decoding, message: "payments.payments.method holds an unknown method")
        }
        guard let status = Payment.Status(rawValue: try row.string("status")) else {
            throw PostgresError(kind: .decoding, message: "payments.payments.status holds an unknown status")
        }
        payment = Payment(
            id: try row.string("id"), orderID: try row.optionalString("order_id"),
            amountCents: try row.int64("amount_cents"), currency: try row.string("currency"), method: method,
            status: status, idempotencyKey: try row.string("idempotency_key"),
            processorReference: try row.optionalString("processor_reference"),
            failureCode: try row.optionalString("failure_code"), createdAt: try row.date("created_at"),
            refundedAt: try row.optionalDate("refunded_at"))
    }
}
