import Platform

/// The only way into the Orders module: checkout, order history, cancel.
public protocol OrdersFacade: Sendable {
    /// The checkout saga: price every line from Restaurant → reserve stock →
    /// charge → complete and commit the reservation. With
    /// `context.idempotencyKey`, a replay returns the first result (or its
    /// error) and never places a second order.
    ///
    /// Returns the order `completed`, or still `pending` (`payment_status:
    /// pending`) when a step's outcome could not be known: the stock stays
    /// held and the checkout is settled later from a definite answer (by
    /// recovery, or by a retry with the same Idempotency-Key).
    ///
    /// Throws `OrdersError.unknownItems` (422), `InventoryError.outOfStock`
    /// (409), `CheckoutDeclined` (402; stock released, order `payment_failed`).
    func place(_ context: CallContext, _ request: PlaceOrder) throws -> Order
    func order(_ context: CallContext, id: String) throws -> Order
    /// By readable number, e.g. `B-000042` (case-insensitive).
    func order(_ context: CallContext, number: String) throws -> Order
    func orders(_ context: CallContext, _ query: OrderQuery) throws -> OrderPage
    /// Manager or admin: restores stock, refunds, status `cancelled`.
    /// A second cancel is `alreadyCancelled` (409).
    func cancel(_ context: CallContext, id: String) throws -> Order
}
