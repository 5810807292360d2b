/// Idempotency keys Banyan's own sagas use, which clients may not.
///
/// The checkout saga charges under `order:<order id>`, and reconciliation
/// refunds a captured `order:` payment that no completed order holds. A
/// client charging under such a key (`POST /api/v1/payments/process`) could
/// collide with a checkout or be refunded as an orphan, so the edge refuses
/// reserved prefixes (422 naming `Idempotency-Key`).
public enum ChargeKeyNamespace {
    /// The prefix of the checkout saga's charge keys.
    public static let checkoutPrefix = "order:"
    public static let reservedPrefixes = [checkoutPrefix]

    /// True when `key` is in a namespace only Banyan may use.
    public static func isReserved(_ key: String) -> Bool {
        let lowered = key.lowercased()
        return reservedPrefixes.contains { lowered.hasPrefix($0) }
    }

    /// The checkout saga's key for one order.
    public static func checkoutKey(orderID: String) -> String { checkoutPrefix + orderID }
}
