import Platform

/// The only way into the Inventory module: stock levels and reservations.
///
/// Stock never goes below zero, whatever the concurrency: reservations and
/// adjustments are single conditional updates. Reservation calls are
/// idempotent by key, so a saga can repeat any step after a crash.
public protocol InventoryFacade: Sendable {
    func stockLevels(_ context: CallContext) throws -> [StockLevel]
    /// Nil when the item's stock is not tracked.
    func stockLevel(_ context: CallContext, menuItemID: String) throws -> StockLevel?
    /// Manager or admin.
    func setStock(_ context: CallContext, menuItemID: String, _ request: SetStock) throws -> StockLevel
    /// Manager or admin. Throws `insufficientStock` rather than go below zero.
    func adjustStock(_ context: CallContext, menuItemID: String, _ adjustment: StockAdjustment) throws -> StockLevel

    /// The items among `lines` that cannot be supplied now (no change made).
    func shortages(_ context: CallContext, lines: [StockLine]) throws -> [String]
    /// Holds stock for all lines or none (`outOfStock` naming the short items).
    /// Repeating a key returns the existing reservation; the same key with
    /// other lines is `keyReused`. Untracked items are accepted and not held.
    func reserve(_ context: CallContext, _ request: ReserveStock) throws -> Reservation
    /// Makes a held reservation a sale. Idempotent; `reservationReleased` if it was released.
    func commit(_ context: CallContext, key: String) throws -> Reservation
    /// Puts held or committed stock back. Idempotent.
    func release(_ context: CallContext, key: String) throws -> Reservation
}
