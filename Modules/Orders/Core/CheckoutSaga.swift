import Foundation
import InventoryAPI
import OrdersAPI
import PaymentsAPI
import Platform
import Postgres
import RestaurantAPI

/// The checkout saga: price → pending order → reserve stock → charge →
/// commit stock and complete. Every step after pricing is idempotent by the
/// order's saga key (`order:<id>`), so an interrupted checkout can be
/// finished or compensated by repeating steps, never by guessing.
///
/// Failure handling:
/// - out of stock: the pending order is deleted (the customer never had one).
/// - decline: stock released, order `payment_failed`, 402 with the decline's code.
/// - the first charge never reached Payments (its service refused the
///   connection): stock released, order cancelled `module_unavailable`.
/// - any other charge failure: if Payments can say a charge was captured, the
///   order completes; if it says none was, stock is released and the order is
///   cancelled; if it cannot say, the order stays pending (stock held) for
///   recovery to settle, and the error is returned.
struct CheckoutSaga {
    let pool: PostgresPool
    let restaurant: any RestaurantFacade
    let inventory: any InventoryFacade
    let payments: any PaymentsFacade

    func place(_ context: CallContext, _ request: PlaceOrder) throws -> Order {
        let checked = try CheckedOrder(request)
        let tenant = context.tenant.value
        if let key = context.idempotencyKey {
            guard (1...200).contains(key.utf8.count) else {
                throw OrdersError.invalidInput(field: "Idempotency-Key", reason: "1 to 200 characters")
            }
            if let earlier = try pool.transaction(tenant: tenant, { try OrderStore.find(idempotencyKey: key, tenant: tenant, on: $0) }) {
                return try replay(earlier, fingerprint: checked.fingerprint)
            }
        }

        let (lines, currency) = try price(context, checked)
        let new = OrderStore.NewOrder(
            id: UUID().uuidString.lowercased(), tenant: tenant,
            totalCents: lines.reduce(0) { $0 + $1.unitPriceCents * Int64($1.quantity) }, currency: currency,
            paymentMethod: checked.method.rawValue, paymentToken: checked.token,
            idempotencyKey: context.idempotencyKey, requestFingerprint: checked.fingerprint,
            createdBy: context.userID, lines: lines)
        let record: OrderRecord
        do {
            // The pending order locks its restaurant's order counter: not
            // waiting for the disk keeps that lock short. The charge's durable
            // commit flushes it before any money moves; a crash before that
            // loses a checkout nobody was answered about.
            record = try pool.transaction(tenant: tenant, durability: .flushedByLaterCommit) {
                try OrderStore.insertPending(new, on: $0)
            }
        } catch let error as PostgresError where error.isUniqueViolation && context.idempotencyKey != nil {
            // The same key raced us in: answer as its replay.
            let earlier = try pool.transaction(tenant: tenant) {
                try OrderStore.find(idempotencyKey: context.idempotencyKey!, tenant: tenant, on: $0)
            }
            guard let earlier else { throw error }
            return try replay(earlier, fingerprint: checked.fingerprint)
        }

        do {
            _ = try inventory.reserve(
                context, ReserveStock(key: record.sagaKey, lines: checked.stockLines))
        } catch let error as InventoryError {
            try pool.transaction(tenant: tenant) { try OrderStore.delete(record, on: $0) }
            throw error
        }
        Failpoint.hit("checkout.after-reserve")
        return try charge(context, record, firstAttempt: true)
    }

    /// Charges a pending, reserved order and settles it from the outcome.
    /// `firstAttempt`: no charge was ever sent under this order's key before
    /// (recovery repeats charges, and says false).
    func charge(_ context: CallContext, _ record: OrderRecord, firstAttempt: Bool = false) throws -> Order {
        let payment: Payment
        do {
            payment = try payments.charge(
                context,
                ChargeRequest(
                    idempotencyKey: record.sagaKey, amountCents: record.order.totalCents,
                    currency: record.order.currency,
                    method: PaymentMethod(rawValue: record.order.paymentMethod ?? "") ?? .cash,
                    token: record.paymentToken, orderID: record.order.id))
        } catch let decline as PaymentsError where decline.isDecline {
            _ = try inventory.release(context, key: record.sagaKey)
            let failed = try settle(
                record, .paymentFailed, paymentStatus: "declined",
                paymentID: try? payments.payment(context, idempotencyKey: record.sagaKey)?.id,
                failureCode: decline.code)
            throw CheckoutDeclined(order: failed.order, reason: decline.code, detail: decline.detail)
        } catch where firstAttempt && CheckoutSaga.neverReachedPayments(error) {
            // The first charge never reached Payments (its service refused the
            // connection or did not accept it in time): no payment can exist
            // under this order's key, so undo now instead of holding the stock
            // for recovery while the service is down.
            _ = try inventory.release(context, key: record.sagaKey)
            _ = try settle(record, .cancelled, paymentStatus: nil, paymentID: nil, failureCode: "module_unavailable")
            throw error
        } catch {
            // Not a decline: ask Payments what happened before undoing anything.
            switch Result(catching: { try payments.payment(context, idempotencyKey: record.sagaKey) }) {
            case .success(let existing?) where existing.status == .captured:
                return try complete(context, record, payment: existing)
            case .success:
                // No charge was made (or it is settled as not captured): compensate.
                _ = try inventory.release(context, key: record.sagaKey)
                _ = try settle(
                    record, .cancelled, paymentStatus: nil, paymentID: nil,
                    failureCode: (error as? any ProblemConvertible)?.problem.code ?? "payment_error")
                throw error
            case .failure:
                // Payments cannot tell us: leave the order pending, stock held, for recovery.
                throw error
            }
        }
        Failpoint.hit("checkout.after-charge")
        return try complete(context, record, payment: payment)
    }

    /// Whether `error` is a transport failure that surely never reached the
    /// module: `ModuleUnavailable` (a Facade type Orders does not import)
    /// says so in its problem as `"reached": false`.
    private static func neverReachedPayments(_ error: any Error) -> Bool {
        guard let problem = (error as? any ProblemConvertible)?.problem, problem.code == "module_unavailable" else {
            return false
        }
        return problem.extensions["reached"] == .bool(false)
    }

    /// Commits the stock and marks the order paid and complete.
    func complete(_ context: CallContext, _ record: OrderRecord, payment: Payment) throws -> Order {
        _ = try inventory.commit(context, key: record.sagaKey)
        return try settle(record, .completed, paymentStatus: payment.status.rawValue, paymentID: payment.id, failureCode: nil)
            .order
    }

    private func settle(
        _ record: OrderRecord, _ status: Order.Status, paymentStatus: String?, paymentID: String?, failureCode: String?
    ) throws -> OrderRecord {
        try pool.transaction(tenant: record.tenant) { db in
            if let settled = try OrderStore.settle(
                record, status: status, paymentStatus: paymentStatus, paymentID: paymentID, failureCode: failureCode,
                on: db)
            {
                return settled
            }
            // Someone else (a recovery in another process) settled it first: theirs stands.
            guard let current = try OrderStore.find(id: UUID(uuidString: record.order.id)!, tenant: record.tenant, on: db)
            else { throw OrdersError.orderNotFound }
            return current
        }
    }

    /// The answer a replayed `Idempotency-Key` gets: the first result, never a second order.
    private func replay(_ earlier: OrderRecord, fingerprint: String) throws -> Order {
        guard earlier.requestFingerprint == fingerprint else { throw OrdersError.keyReused }
        switch earlier.order.status {
        case .pending:
            throw OrdersError.requestInProgress
        case .paymentFailed:
            let reason = earlier.order.failureCode ?? PaymentsError.cardDeclined.code
            let detail = PaymentsError.decline(reason: reason)?.detail ?? "The payment was declined."
            throw CheckoutDeclined(order: earlier.order, reason: reason, detail: detail)
        case .completed, .cancelled:
            return earlier.order
        }
    }

    /// Prices every line from the menu (the client never sends prices); one
    /// currency per order.
    private func price(_ context: CallContext, _ checked: CheckedOrder) throws -> ([Order.Line], String) {
        let menu = try restaurant.prices(context, itemIDs: checked.itemIDs)
        let byID = Dictionary(menu.map { ($0.id.lowercased(), $0) }, uniquingKeysWith: { first, _ in first })
        let missing = checked.itemIDs.filter { byID[$0]?.available != true }
        guard missing.isEmpty else { throw OrdersError.unknownItems(missing) }
        let currencies = Set(menu.map(\.currency))
        guard currencies.count == 1, let currency = currencies.first else {
            throw OrdersError.invalidInput(field: "items", reason: "all items of an order must share one currency")
        }
        let lines = checked.items.map { item in
            Order.Line(
                menuItemID: item.menuItemID, name: byID[item.menuItemID]!.name, quantity: item.quantity,
                unitPriceCents: byID[item.menuItemID]!.priceCents)
        }
        return (lines, currency)
    }
}
