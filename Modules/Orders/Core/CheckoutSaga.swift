import Foundation
import InventoryAPI
import OrdersAPI
import PaymentsAPI
import Platform
import Postgres
import RestaurantAPI

/// The checkout saga: price → pending order → reserve stock → charge →
/// commit stock and complete. Every step after pricing is idempotent by the
/// order's saga key (`order:<id>`), so an interrupted checkout is finished
/// by repeating steps with the same key, never by guessing.
///
/// Unknown is not "no". The saga compensates (releases the stock, settles
/// the order as not paid) only on a definite answer:
/// - a decline (402, order `payment_failed`);
/// - a first charge that never reached Payments (its service refused the
///   connection, or the bulkhead refused to send it): order cancelled;
/// - out of stock, before any charge: the pending order is deleted.
/// Anything else — a timeout after the charge was sent, a pending payment,
/// a twin charge in progress, an unavailable processor — leaves the order
/// `pending` with its stock held, and the caller gets it back as such
/// (HTTP 202). Whoever claims it next (`resume`: recovery, or the client
/// retrying with the same Idempotency-Key) repeats the steps with the same
/// keys until the answer is definite.
///
/// A pending order is worked on by one claimant at a time (`CheckoutClaim`);
/// a claimant renews its claim before compensating, so a process that lost
/// the checkout to another never undoes it.
struct CheckoutSaga {
    let pool: PostgresPool
    let restaurant: any RestaurantFacade
    let inventory: any InventoryFacade
    let payments: any PaymentsFacade
    let options: CheckoutOptions

    func place(_ context: CallContext, _ request: PlaceOrder) throws -> Order {
        let checked = try CheckedOrder(request)
        let tenant = context.tenant.value
        if let key = context.idempotencyKey {
            guard (1...200).contains(key.utf8.count) else {
                throw OrdersError.invalidInput(field: "Idempotency-Key", reason: "1 to 200 characters")
            }
            if let earlier = try pool.autocommit(tenant: tenant, { try OrderStore.find(idempotencyKey: key, tenant: tenant, on: $0) }) {
                return try replay(context, earlier, fingerprint: checked.fingerprint)
            }
        }

        let (lines, currency) = try price(context, checked)
        let claim = CheckoutClaim.placing(requestID: context.requestID, deadline: context.deadline, minimum: options.lease)
        let new = OrderStore.NewOrder(
            id: UUID().uuidString.lowercased(), tenant: tenant,
            totalCents: lines.reduce(0) { $0 + $1.unitPriceCents * Int64($1.quantity) }, currency: currency,
            paymentMethod: checked.method.rawValue, paymentToken: checked.token,
            idempotencyKey: context.idempotencyKey, requestFingerprint: checked.fingerprint,
            createdBy: context.userID, lines: lines, claim: claim)
        let record: OrderRecord
        do {
            // Not waiting for the disk keeps the first step short (the order
            // has no number yet: it gets one when it is settled or held). The
            // charge's durable commit flushes it before any money moves; a
            // crash before that loses a checkout nobody was answered about.
            // One statement (the order and its lines), so its own transaction.
            record = try pool.autocommit(tenant: tenant, durability: .flushedByLaterCommit) {
                try OrderStore.insertPending(new, on: $0)
            }
        } catch let error as PostgresError where error.isUniqueViolation && context.idempotencyKey != nil {
            // The same key raced us in: answer as its replay.
            let earlier = try pool.autocommit(tenant: tenant) {
                try OrderStore.find(idempotencyKey: context.idempotencyKey!, tenant: tenant, on: $0)
            }
            guard let earlier else { throw error }
            return try replay(context, earlier, fingerprint: checked.fingerprint)
        }

        do {
            _ = try inventory.reserve(context, ReserveStock(key: record.sagaKey, lines: checked.stockLines))
        } catch let error as InventoryError {
            // Reserving is all or nothing: nothing is held, the customer never had an order.
            try pool.autocommit(tenant: tenant) { try OrderStore.delete(record, on: $0) }
            throw error
        } catch where CheckoutSaga.neverReached(error) {
            try pool.autocommit(tenant: tenant) { try OrderStore.delete(record, on: $0) }
            throw error
        } catch {
            // The reservation may or may not be held: recovery repeats it by key.
            return try hold(record, claim)
        }
        Failpoint.hit("checkout.after-reserve")
        return try charge(context, record, claim, firstAttempt: true)
    }

    /// Takes a claimed pending checkout forward from wherever it stopped:
    /// reserve again (a repeat returns the reservation already made), then
    /// charge again with the same key, and settle from the definite answer.
    func resume(_ context: CallContext, _ record: OrderRecord, _ claim: CheckoutClaim) throws -> Order {
        let reservation: Reservation
        do {
            reservation = try inventory.reserve(context, ReserveStock(key: record.sagaKey, lines: record.stockLines))
        } catch let error as InventoryError {
            // Nothing could be held, so no charge was ever sent (a charge
            // follows a held reservation): cancelling is safe.
            return try compensate(context, record, claim, failureCode: error.kind == .outOfStock ? error.code : "interrupted")
        }
        if reservation.status == .released {
            // A compensation was decided and interrupted before the order was
            // settled: finish it. (A payment captured anyway is refunded by
            // reconciliation, which sees the order is not completed.)
            let payment = try payments.payment(context, idempotencyKey: record.sagaKey)
            if payment?.status == .declined {
                return try fail(context, record, claim, decline: CheckoutSaga.decline(payment?.failureCode))
            }
            return try compensate(context, record, claim, failureCode: "interrupted")
        }
        return try charge(context, record, claim, firstAttempt: false)
    }

    /// Charges a pending, reserved order and settles it from the answer.
    /// `firstAttempt`: no charge was ever sent under this order's key before.
    private func charge(
        _ context: CallContext, _ record: OrderRecord, _ claim: CheckoutClaim, firstAttempt: Bool
    ) throws -> Order {
        var payment: Payment
        do {
            payment = try payments.charge(
                context,
                ChargeRequest(
                    idempotencyKey: record.sagaKey, amountCents: record.order.totalCents,
                    currency: record.order.currency,
                    method: PaymentMethod(rawValue: record.order.paymentMethod ?? "") ?? .cash,
                    token: record.paymentToken, orderID: record.order.id))
        } catch let decline as PaymentsError where decline.isDecline {
            return try fail(context, record, claim, decline: decline)
        } catch where firstAttempt && CheckoutSaga.neverReached(error) {
            // The first charge never reached Payments: no payment can exist
            // under this order's key, so undo now instead of holding the
            // stock while the service is down.
            _ = try compensate(context, record, claim, failureCode: "module_unavailable")
            throw error
        } catch {
            // Unknown outcome. A read may still find a definite one (a twin
            // finished the charge meanwhile); anything else is held.
            let known = (try? payments.payment(context, idempotencyKey: record.sagaKey)) ?? nil
            switch known?.status {
            case .captured?, .refunded?: payment = known!
            case .declined?: return try fail(context, record, claim, decline: CheckoutSaga.decline(known!.failureCode))
            case .pending?, nil: return try hold(record, claim)
            }
        }
        Failpoint.hit("checkout.after-charge")
        do {
            return try complete(context, record, payment: payment)
        } catch {
            // The money is taken; the order completes when the stock commit
            // goes through on a later attempt.
            return try hold(record, claim)
        }
    }

    /// Commits the stock and marks the order paid and complete.
    private func complete(_ context: CallContext, _ record: OrderRecord, payment: Payment) throws -> Order {
        _ = try inventory.commit(context, key: record.sagaKey)
        return try settle(record, .completed, paymentStatus: payment.status.rawValue, paymentID: payment.id, failureCode: nil)
            .order
    }

    /// A definite decline: give the stock back, settle `payment_failed`, answer 402.
    private func fail(
        _ context: CallContext, _ record: OrderRecord, _ claim: CheckoutClaim, decline: PaymentsError
    ) throws -> Order {
        guard try renew(record, claim) else { return try current(record) }
        _ = try inventory.release(context, key: record.sagaKey)
        let failed = try settle(
            record, .paymentFailed, paymentStatus: "declined",
            paymentID: ((try? payments.payment(context, idempotencyKey: record.sagaKey)) ?? nil)?.id,
            failureCode: decline.code)
        throw CheckoutDeclined(order: failed.order, reason: decline.code, detail: decline.detail)
    }

    /// A definite "nothing was charged": give the stock back and cancel.
    private func compensate(
        _ context: CallContext, _ record: OrderRecord, _ claim: CheckoutClaim, failureCode: String
    ) throws -> Order {
        guard try renew(record, claim) else { return try current(record) }
        do {
            _ = try inventory.release(context, key: record.sagaKey)
        } catch let error as InventoryError where error == .reservationNotFound {
            // Never reserved: nothing to give back.
        }
        return try settle(record, .cancelled, paymentStatus: nil, paymentID: nil, failureCode: failureCode).order
    }

    /// Leaves the order pending, stock held, for a later attempt; the caller
    /// gets it as it stands (`payment_status: pending`, HTTP 202).
    private func hold(_ record: OrderRecord, _ claim: CheckoutClaim) throws -> Order {
        let held = try pool.autocommit(tenant: record.tenant) {
            try OrderStore.hold(record, claim, retryAfter: options.retryAfter, on: $0)
        }
        return try held?.order ?? current(record)
    }

    private func renew(_ record: OrderRecord, _ claim: CheckoutClaim) throws -> Bool {
        try pool.autocommit(tenant: record.tenant) { try OrderStore.renew(record, claim, on: $0) }
    }

    /// The order as another claimant left it.
    private func current(_ record: OrderRecord) throws -> Order {
        let found = try pool.autocommit(tenant: record.tenant) {
            try OrderStore.find(id: UUID(uuidString: record.order.id)!, tenant: record.tenant, on: $0)
        }
        guard let found else { throw OrdersError.orderNotFound }
        return found.order
    }

    private func settle(
        _ record: OrderRecord, _ status: Order.Status, paymentStatus: String?, paymentID: String?, failureCode: String?
    ) throws -> OrderRecord {
        // One statement (the order, its number and its event); the read after it only explains a miss.
        try pool.autocommit(tenant: record.tenant) { db in
            if let settled = try OrderStore.settle(
                record, status: status, paymentStatus: paymentStatus, paymentID: paymentID, failureCode: failureCode,
                on: db)
            {
                return settled
            }
            // Someone else settled it first: theirs stands.
            guard let current = try OrderStore.find(id: UUID(uuidString: record.order.id)!, tenant: record.tenant, on: db)
            else { throw OrdersError.orderNotFound }
            return current
        }
    }

    /// The answer a replayed `Idempotency-Key` gets: the first result, never
    /// a second order. A checkout still pending is taken forward when nobody
    /// else holds it, else answered as it stands.
    private func replay(_ context: CallContext, _ earlier: OrderRecord, fingerprint: String) throws -> Order {
        guard earlier.requestFingerprint == fingerprint else { throw OrdersError.keyReused }
        switch earlier.order.status {
        case .pending:
            let claim = CheckoutClaim.placing(requestID: context.requestID, deadline: context.deadline, minimum: options.lease)
            let claimed = try pool.autocommit(tenant: earlier.tenant) {
                try OrderStore.claim(id: UUID(uuidString: earlier.order.id)!, tenant: earlier.tenant, claim, on: $0)
            }
            guard let claimed else { return earlier.order }
            return try resume(context, claimed, claim)
        case .paymentFailed:
            let reason = earlier.order.failureCode ?? PaymentsError.cardDeclined.code
            let detail = PaymentsError.decline(reason: reason)?.detail ?? "The payment was declined."
            throw CheckoutDeclined(order: earlier.order, reason: reason, detail: detail)
        case .completed, .cancelled:
            return earlier.order
        }
    }

    /// Whether `error` is a transport failure that surely never reached the
    /// module: a refused connection, or this process's bulkhead refusing to send.
    static func neverReached(_ error: any Error) -> Bool {
        switch error {
        case let unavailable as ModuleUnavailable: unavailable.neverReached
        case is ModuleBusy: true
        default: false
        }
    }

    private static func decline(_ code: String?) -> PaymentsError {
        code.flatMap { PaymentsError.decline(reason: $0) } ?? .cardDeclined
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
