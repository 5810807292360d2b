import AuthAPI
import InventoryAPI
import OrdersAPI
import PaymentsAPI
import Platform
import RestaurantAPI
import Testing

@testable import Orders

/// Every module error's wire form, pinned: clients switch on these codes and
/// statuses, and a remote call must read back exactly what was thrown.
@Suite struct ModuleErrorTests {
    /// Each module's codes and the status each is sent with.
    static let wire: [(module: String, statuses: [String: Int], actual: [String: Int])] = [
        ("auth", [
            "invalid_credentials": 401, "user_disabled": 403, "user_not_found": 404, "username_taken": 409,
            "tenant_exists": 409, "self_modification": 422, "validation_failed": 422,
        ], statuses(of: AuthError.self)),
        ("restaurant", [
            "menu_item_not_found": 404, "menu_item_exists": 409, "ticket_not_found": 404, "ticket_already_done": 409,
            "validation_failed": 422,
        ], statuses(of: RestaurantError.self)),
        ("inventory", [
            "reservation_not_found": 404, "out_of_stock": 409, "insufficient_stock": 409, "reservation_released": 409,
            "idempotency_key_reused": 409, "validation_failed": 422,
        ], statuses(of: InventoryError.self)),
        ("payments", [
            "card_declined": 402, "insufficient_funds": 402, "payment_not_found": 404, "idempotency_key_reused": 409,
            "charge_in_progress": 409, "already_refunded": 409, "not_refundable": 409, "validation_failed": 422,
            "processor_unavailable": 503,
        ], statuses(of: PaymentsError.self)),
        ("orders", [
            "order_not_found": 404, "already_cancelled": 409, "not_cancellable": 409, "idempotency_key_reused": 409,
            "unknown_items": 422, "validation_failed": 422,
        ], statuses(of: OrdersError.self)),
    ]

    static func statuses<E: ModuleError>(of _: E.Type) -> [String: Int] {
        Dictionary(uniqueKeysWithValues: E.Kind.allCases.map { ($0.rawValue, $0.status) })
    }

    @Test(arguments: wire)
    func codesAndStatusesAreThoseClientsKnow(module: String, expected: [String: Int], actual: [String: Int]) {
        #expect(actual == expected, "\(module)")
    }

    /// What a remote call reads back is what was thrown: kind, detail and extensions.
    @Test func theWireFormReadsBackAsTheSameError() throws {
        func roundTrip<E: ModuleError>(_ error: E) throws -> E { try #require(E(problem: error.problem)) }
        let short = InventoryError.outOfStock(["soup", "bread"])
        let back = try roundTrip(short)
        #expect(back == short)
        #expect(back.items == ["soup", "bread"])
        #expect(back.detail == short.detail)
        #expect(short.problem.extensions["items"] == .array([.string("soup"), .string("bread")]))
        #expect(try roundTrip(OrdersError.unknownItems(["x"])).items == ["x"])
        #expect(try roundTrip(PaymentsError.processorUnavailable).problem.status == 503)
        #expect(try roundTrip(AuthError.invalidCredentials).detail == AuthError.invalidCredentials.detail)
        #expect(try roundTrip(RestaurantError.ticketAlreadyDone) == .ticketAlreadyDone)
        // Another module's code, or Platform's, is not this module's error.
        #expect(PaymentsError(problem: RestaurantError.menuItemNotFound.problem) == nil)
        #expect(OrdersError(problem: DeadlineExceeded().problem) == nil)
    }

    @Test func equalityIsByKindWhateverTheDetailOrItems() {
        #expect(InventoryError.outOfStock(["a"]) == InventoryError.outOfStock(["b"]))
        #expect(PaymentsError.invalidInput(field: "a", reason: "x") == PaymentsError.invalidInput(field: "b", reason: "y"))
        #expect(PaymentsError.cardDeclined != PaymentsError.insufficientFunds)
        #expect(OrdersError.orderNotFound.problem.extensions.isEmpty)
    }

    @Test func invalidInputNamesTheField() {
        let error = RestaurantError.invalidInput(field: "price_cents", reason: "must be positive")
        #expect(error.problem == Problem(status: 422, code: "validation_failed", detail: ""))
        #expect(error.detail == "price_cents: must be positive")
    }

    @Test func paymentsKnowsItsDeclines() {
        #expect(PaymentsError.decline(reason: "card_declined") == .cardDeclined)
        #expect(PaymentsError.decline(reason: "insufficient_funds") == .insufficientFunds)
        #expect(PaymentsError.decline(reason: "payment_not_found") == nil)
        #expect(PaymentsError.cardDeclined.isDecline && PaymentsError.insufficientFunds.isDecline)
        #expect(!PaymentsError.processorUnavailable.isDecline)
        #expect(PaymentsError.cardDeclined.code == "card_declined")
    }

    /// The saga undoes a checkout at once only when the call surely never
    /// reached the module, and learns that from the error's type: a problem
    /// that merely says `"reached": false` (from anywhere) is not proof.
    @Test func theSagaReadsNeverReachedFromTheErrorsType() {
        #expect(CheckoutSaga.neverReached(ModuleUnavailable(module: "payments", reason: "refused", neverReached: true)))
        #expect(CheckoutSaga.neverReached(ModuleBusy(module: "payments")))
        #expect(!CheckoutSaga.neverReached(ModuleUnavailable(module: "payments", reason: "timed out")))
        #expect(!CheckoutSaga.neverReached(ModuleBusy(module: "payments").problem))
        #expect(!CheckoutSaga.neverReached(DeadlineExceeded()))
        #expect(!CheckoutSaga.neverReached(PaymentsError.processorUnavailable))
    }
}
