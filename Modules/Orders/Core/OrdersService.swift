import Foundation
import InventoryAPI
import OrdersAPI
import PaymentsAPI
import Platform
import Postgres
import RestaurantAPI

/// The in-process implementation of `OrdersFacade`. Other modules are
/// reached only through their facades, so the same code runs whether
/// Payments is in this process or in its own service.
public final class OrdersService: OrdersFacade {
    private let pool: PostgresPool
    private let saga: CheckoutSaga
    private let inventory: any InventoryFacade
    private let payments: any PaymentsFacade
    private let log: Log

    public init(
        pool: PostgresPool, restaurant: any RestaurantFacade, inventory: any InventoryFacade,
        payments: any PaymentsFacade, log: Log = .shared
    ) {
        self.pool = pool
        self.inventory = inventory
        self.payments = payments
        self.log = log
        saga = CheckoutSaga(pool: pool, restaurant: restaurant, inventory: inventory, payments: payments)
    }

    public func place(_ context: CallContext, _ request: PlaceOrder) throws -> Order {
        try context.require(.cashier)
        return try saga.place(context, request)
    }

    public func order(_ context: CallContext, id: String) throws -> Order {
        try record(context, id: id).order
    }

    public func order(_ context: CallContext, number: String) throws -> Order {
        let tenant = context.tenant.value
        let found = try pool.transaction(tenant: tenant) {
            try OrderStore.find(number: number.uppercased(), tenant: tenant, on: $0)
        }
        guard let found else { throw OrdersError.orderNotFound }
        return found.order
    }

    public func orders(_ context: CallContext, _ query: OrderQuery) throws -> OrderPage {
        guard (1...200).contains(query.limit) else { throw OrdersError.invalidInput(field: "limit", reason: "1 to 200") }
        guard query.offset >= 0 else { throw OrdersError.invalidInput(field: "offset", reason: "0 or more") }
        let tenant = context.tenant.value
        return try pool.transaction(tenant: tenant) { try OrderStore.page(query, tenant: tenant, on: $0) }
    }

    public func cancel(_ context: CallContext, id: String) throws -> Order {
        try context.require(.manager)
        let record = try record(context, id: id)
        switch record.order.status {
        case .cancelled: throw OrdersError.alreadyCancelled
        case .pending, .paymentFailed: throw OrdersError.notCancellable
        case .completed: break
        }
        // Each step is idempotent, so a cancel interrupted half-way is finished by cancelling again.
        if let payment = try payments.payment(context, idempotencyKey: record.sagaKey), payment.status == .captured {
            do {
                _ = try payments.refund(context, RefundRequest(paymentID: payment.id, reason: "order cancelled"))
            } catch let error as PaymentsError where error == .alreadyRefunded {
                // Refunded by an earlier, interrupted cancel.
            }
        }
        _ = try inventory.release(context, key: record.sagaKey)
        let cancelled = try pool.transaction(tenant: record.tenant) { try OrderStore.cancel(record, on: $0) }
        guard let cancelled else { throw OrdersError.alreadyCancelled }
        return cancelled.order
    }

    public func recoverInterruptedCheckouts(olderThan seconds: Double) throws -> Int {
        let interrupted = try pool.transaction(tenant: nil) { try OrderStore.interrupted(olderThan: seconds, on: $0) }
        var settled = 0
        for (tenantValue, id) in interrupted {
            guard let tenant = TenantID(tenantValue) else { continue }
            let context = CallContext.system(tenant: tenant, component: "saga-recovery", requestID: "recovery-\(id)")
            do {
                try recover(context, id: id)
                settled += 1
            } catch {
                log.warning(
                    "checkout recovery failed; will retry at next start",
                    ["order_id": .string(id.uuidString.lowercased()), "tenant": .string(tenantValue), "error": .string("\(error)")])
            }
        }
        return settled
    }

    /// Settles one interrupted checkout from what Payments knows:
    /// captured → complete; declined → payment_failed; a charge left pending
    /// → repeat it with the same key; no charge at all → release and cancel.
    private func recover(_ context: CallContext, id: UUID) throws {
        let tenant = context.tenant.value
        guard let record = try pool.transaction(tenant: tenant, { try OrderStore.find(id: id, tenant: tenant, on: $0) }),
            record.order.status == .pending
        else { return }
        let payment = try payments.payment(context, idempotencyKey: record.sagaKey)
        switch payment?.status {
        case .captured?, .refunded?:
            _ = try saga.complete(context, record, payment: payment!)
        case .pending?, .declined?:
            // Repeating the charge with the same key finishes it (or repeats its decline) without charging twice.
            do {
                _ = try saga.charge(context, record)
            } catch is CheckoutDeclined {
                // Settled as payment_failed, stock released.
            }
        case nil:
            do {
                _ = try inventory.release(context, key: record.sagaKey)
            } catch let error as InventoryError where error == .reservationNotFound {
                // Interrupted before its stock was reserved: nothing to give back.
            }
            let interrupted = record
            _ = try pool.transaction(tenant: tenant) {
                try OrderStore.settle(
                    interrupted, status: .cancelled, paymentStatus: nil, paymentID: nil, failureCode: "interrupted", on: $0)
            }
        }
        log.info("interrupted checkout settled", ["order_id": .string(record.order.id), "tenant": .string(tenant)])
    }

    private func record(_ context: CallContext, id: String) throws -> OrderRecord {
        guard let uuid = UUID(uuidString: id) else { throw OrdersError.orderNotFound }
        let tenant = context.tenant.value
        let found = try pool.transaction(tenant: tenant) { try OrderStore.find(id: uuid, tenant: tenant, on: $0) }
        guard let found else { throw OrdersError.orderNotFound }
        return found
    }
}
