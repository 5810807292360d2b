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
package final class OrdersService: OrdersFacade {
    private let pool: PostgresPool
    private let saga: CheckoutSaga
    private let inventory: any InventoryFacade
    private let payments: any PaymentsFacade
    private let options: CheckoutOptions
    private let log: Log
    /// This process's name on the claims its recovery takes.
    private let recoveryClaimant = "recovery:\(UUID().uuidString.prefix(8).lowercased())"

    package init(
        pool: PostgresPool, restaurant: any RestaurantFacade, inventory: any InventoryFacade,
        payments: any PaymentsFacade, checkout options: CheckoutOptions = CheckoutOptions(), log: Log = .shared
    ) {
        self.pool = pool
        self.inventory = inventory
        self.payments = payments
        self.options = options
        self.log = log
        saga = CheckoutSaga(
            pool: pool, restaurant: restaurant, inventory: inventory, payments: payments, options: options)
    }

    package func place(_ context: CallContext, _ request: PlaceOrder) throws -> Order {
        try context.require(.cashier)
        return try saga.place(context, request)
    }

    package func order(_ context: CallContext, id: String) throws -> Order {
        try record(context, id: id).order
    }

    package func order(_ context: CallContext, number: String) throws -> Order {
        let tenant = context.tenant.value
        let found = try pool.autocommit(tenant: tenant) {
            try OrderStore.find(number: number.uppercased(), tenant: tenant, on: $0)
        }
        guard let found else { throw OrdersError.orderNotFound }
        return found.order
    }

    package func orders(_ context: CallContext, _ query: OrderQuery) throws -> OrderPage {
        guard (1...200).contains(query.limit) else { throw OrdersError.invalidInput(field: "limit", reason: "1 to 200") }
        guard query.offset >= 0 else { throw OrdersError.invalidInput(field: "offset", reason: "0 or more") }
        let tenant = context.tenant.value
        return try pool.autocommit(tenant: tenant) { try OrderStore.page(query, tenant: tenant, on: $0) }
    }

    package func cancel(_ context: CallContext, id: String) throws -> Order {
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

    /// Takes over pending checkouts of every tenant whose claim has run out
    /// (a crashed process, an outcome that was unknown), one claim at a
    /// time so many processes can run it at once, and settles each from a
    /// definite answer; an outcome still unknown stays pending for the next
    /// pass. Each step's remote call waits at most `callTimeout` seconds,
    /// and a pass stops claiming once `callTimeout` seconds have passed.
    /// Returns how many it settled.
    ///
    /// Not an operation: it works across tenants, so no `CallContext` can
    /// name one, and it runs in a process that reaches the orders schema.
    package func recoverPendingCheckouts(callTimeout: Double) throws -> Int {
        let candidates = try pool.transaction(tenant: nil) { try OrderStore.claimable(limit: 200, on: $0) }
        var settled = 0
        // A pass claims new checkouts for one call timeout at most, so a slow
        // dependency cannot stretch it (and a shutdown waiting on it) to
        // hundreds of timeouts; what is left waits for the next pass.
        let claimsEnd = Date(timeIntervalSinceNow: callTimeout)
        for (tenantValue, id) in candidates {
            guard Date() < claimsEnd else { break }
            guard let tenant = TenantID(tenantValue) else { continue }
            var context = CallContext.system(tenant: tenant, component: "saga-recovery", requestID: "recovery-\(id)")
            context.deadline = Date(timeIntervalSinceNow: callTimeout)
            let claim = CheckoutClaim(claimant: recoveryClaimant, seconds: max(options.lease, callTimeout + CheckoutClaim.deadlineMargin))
            do {
                // Another process may have claimed it since the list was read: then it is theirs.
                guard let record = try pool.transaction(tenant: tenantValue, { try OrderStore.claim(id: id, tenant: tenantValue, claim, on: $0) })
                else { continue }
                let order = try saga.resume(context, record, claim)
                guard order.status != .pending else { continue }
                settled += 1
                log.info(
                    "pending checkout settled",
                    ["order_id": .string(order.id), "tenant": .string(tenantValue), "status": .string(order.status.rawValue)])
            } catch is CheckoutDeclined {
                settled += 1  // settled as payment_failed, stock released
            } catch {
                // The claim runs out and a later pass (here or elsewhere) tries again.
                log.warning(
                    "pending checkout not settled yet",
                    ["order_id": .string(id.uuidString.lowercased()), "tenant": .string(tenantValue), "error": .string("\(error)")])
            }
        }
        return settled
    }

    private func record(_ context: CallContext, id: String) throws -> OrderRecord {
        guard let uuid = UUID(uuidString: id) else { throw OrdersError.orderNotFound }
        let tenant = context.tenant.value
        let found = try pool.autocommit(tenant: tenant) { try OrderStore.find(id: uuid, tenant: tenant, on: $0) }
        guard let found else { throw OrdersError.orderNotFound }
        return found
    }
}
