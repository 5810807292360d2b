import Platform

/// The only way into the Payments module: charges, refunds, lookups.
///
/// `charge` is idempotent by `ChargeRequest.idempotencyKey`: retries charge
/// once and answer the same payment, or throw the same decline.
public protocol PaymentsFacade: Sendable {
    /// Captures money. Throws a decline (`isDecline`) when the processor refuses.
    func charge(_ context: CallContext, _ request: ChargeRequest) throws -> Payment
    /// Full refund of a captured payment. Manager or admin.
    func refund(_ context: CallContext, _ request: RefundRequest) throws -> Payment
    func payment(_ context: CallContext, id: String) throws -> Payment
    func payments(_ context: CallContext, orderID: String) throws -> [Payment]
    /// The payment recorded under `idempotencyKey`, if any: lets a saga
    /// recovering from a crash learn whether a charge happened without making one.
    func payment(_ context: CallContext, idempotencyKey: String) throws -> Payment?
}
