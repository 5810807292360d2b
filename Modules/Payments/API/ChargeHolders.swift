import Platform

/// Who still wants a checkout's captured payment: the question
/// reconciliation asks before refunding one. Payments does not know orders;
/// the composition root answers from the Orders facade.
public protocol ChargeHolders: Sendable {
    /// What became of the order a checkout payment was taken for.
    func holder(of payment: Payment, tenant: TenantID) throws -> ChargeHolder
}

public enum ChargeHolder: Sendable, Equatable {
    /// A completed order holds it: never refunded by reconciliation.
    case completedOrder
    /// The checkout is still settling: its saga decides, not the sweep.
    case pendingOrder
    /// The order is cancelled, failed or absent: nobody holds the money.
    case none
}
