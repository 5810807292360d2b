import Contract
import Facade
import InventoryAPI
import OrdersAPI
import OrdersContract
import Platform
import RestaurantAPI
import Testing

// Orders' suite must catch a provider that breaks a rule: each mutant wraps
// the real in-process module (its menu and stock in the fixture's Restaurant
// and Inventory, as the suite arranges them) and breaks one thing.

extension ModuleContractTests {
    /// The Orders cases that fail against `mutate` of the fixture's in-process Orders.
    static func ordersFailures(_ mutate: (any OrdersFacade) -> any OrdersFacade) throws -> Set<String> {
        let local = try ContractFixture.require("orders").local
        let provider = OrdersContract.Provider(
            orders: mutate(OrdersClient(transport: local)), restaurant: RestaurantClient(transport: local),
            inventory: InventoryClient(transport: local))
        return Set(ContractRunner.run(OrdersContract.cases, against: provider).filter { !$0.passed }.map(\.name))
    }

    @Test func anOrdersProviderThatDropsTheIdempotencyKeyFailsTheReplayCases() throws {
        let failed = try Self.ordersFailures { KeylessCheckouts(base: $0) }
        #expect(
            failed == [
                "a checkout replayed with its Idempotency-Key returns the same order and sells once",
                "an Idempotency-Key reused for another checkout is idempotency_key_reused (409)",
            ])
    }

    @Test func anOrdersProviderThatLetsCashiersCancelFailsExactlyTheRoleCase() throws {
        let failed = try Self.ordersFailures { CancelsForAnyone(base: $0) }
        #expect(failed == ["selling needs a cashier and cancelling a manager (AccessDenied)"])
    }
}

/// Checks out as if no Idempotency-Key had been sent.
struct KeylessCheckouts: OrdersFacade {
    let base: any OrdersFacade
    func place(_ context: CallContext, _ request: PlaceOrder) throws -> Order {
        var keyless = context
        keyless.idempotencyKey = nil
        return try base.place(keyless, request)
    }
    func order(_ context: CallContext, id: String) throws -> Order { try base.order(context, id: id) }
    func order(_ context: CallContext, number: String) throws -> Order { try base.order(context, number: number) }
    func orders(_ context: CallContext, _ query: OrderQuery) throws -> OrderPage { try base.orders(context, query) }
    func cancel(_ context: CallContext, id: String) throws -> Order { try base.cancel(context, id: id) }
}

/// Cancels with an admin's rights whoever asks.
struct CancelsForAnyone: OrdersFacade {
    let base: any OrdersFacade
    func place(_ context: CallContext, _ request: PlaceOrder) throws -> Order { try base.place(context, request) }
    func order(_ context: CallContext, id: String) throws -> Order { try base.order(context, id: id) }
    func order(_ context: CallContext, number: String) throws -> Order { try base.order(context, number: number) }
    func orders(_ context: CallContext, _ query: OrderQuery) throws -> OrderPage { try base.orders(context, query) }
    func cancel(_ context: CallContext, id: String) throws -> Order {
        var elevated = context
        elevated.role = .admin
        return try base.cancel(elevated, id: id)
    }
}
