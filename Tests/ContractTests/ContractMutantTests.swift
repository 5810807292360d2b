import Contract
import Facade
import Foundation
import InventoryAPI
import InventoryContract
import InventoryModule
import PaymentsAPI
import PaymentsContract
import PaymentsModule
import Platform
import Synchronization
import Testing

// The suites must catch a provider that breaks a rule: each mutant below
// wraps the real in-process module and breaks one thing, and the cases
// that guard that thing, and only those, must fail.

extension ModuleContractTests {
    static func failures(_ provider: any PaymentsFacade) -> Set<String> {
        Set(ContractRunner.run(PaymentsContract.cases, against: provider).filter { !$0.passed }.map(\.name))
    }

    /// Payments in this process, as the suite's fixture hosts it.
    static func payments() throws -> any PaymentsFacade {
        PaymentsModule.client(try ContractFixture.require(PaymentsModule.descriptor.name).local)
    }

    /// Inventory in this process, as the suite's fixture hosts it.
    static func inventory() throws -> any InventoryFacade {
        InventoryModule.client(try ContractFixture.require(InventoryModule.descriptor.name).local)
    }

    @Test func aProviderThatLetsCashiersRefundFailsExactlyTheRefundRoleCase() throws {
        let real = try Self.payments()
        #expect(Self.failures(RefundsForAnyone(base: real)) == ["a cashier cannot refund: AccessDenied, and the payment stays captured"])
    }

    @Test func aProviderThatLosesErrorTypesFailsEveryCaseAboutErrors() throws {
        let real = try Self.payments()
        let failed = Self.failures(UntypedErrors(base: real))
        #expect(failed.contains("an unknown payment id is paymentNotFound"))
        #expect(failed.contains("a second refund is alreadyRefunded"))
        #expect(failed.contains("invalid lookups are refused with invalidInput"))
        #expect(!failed.contains("a cash charge is captured"))
        #expect(!failed.contains("a payment is found by its id"))
    }

    @Test func aProviderThatIgnoresTenantsFailsTheIsolationCase() throws {
        let real = try Self.payments()
        let failed = Self.failures(SharedAcrossTenants(base: real))
        #expect(failed.contains("another tenant can neither see nor refund a payment"))
        #expect(!failed.contains("a cash charge is captured"))
    }

    @Test func aProviderThatLetsCashiersSetStockFailsExactlyTheRoleCase() throws {
        let real = try Self.inventory()
        let failed = ContractRunner.run(InventoryContract.cases, against: StockForAnyone(base: real)).filter { !$0.passed }
        #expect(failed.map(\.name) == ["a cashier cannot set or adjust stock (AccessDenied)"])
    }

    @Test func aProviderWhoseReservationsForgetTheirKeyFailsTheIdempotencyCases() throws {
        let real = try Self.inventory()
        let failed = Set(
            ContractRunner.run(InventoryContract.cases, against: ForgetfulReservations(base: real)).filter { !$0.passed }
                .map(\.name))
        #expect(failed.contains("a reservation is idempotent by key and holds stock once"))
        #expect(failed.contains("the same key with other lines is keyReused"))
        #expect(!failed.contains("a manager sets stock and a cashier reads it back"))
    }
}

/// Refunds with an admin's rights whoever asks.
struct RefundsForAnyone: PaymentsFacade {
    let base: any PaymentsFacade
    func charge(_ context: CallContext, _ request: ChargeRequest) throws -> Payment { try base.charge(context, request) }
    func refund(_ context: CallContext, _ request: RefundRequest) throws -> Payment {
        var elevated = context
        elevated.role = .admin
        return try base.refund(elevated, request)
    }
    func payment(_ context: CallContext, id: String) throws -> Payment { try base.payment(context, id: id) }
    func payments(_ context: CallContext, orderID: String) throws -> [Payment] { try base.payments(context, orderID: orderID) }
    func payment(_ context: CallContext, idempotencyKey: String) throws -> Payment? {
        try base.payment(context, idempotencyKey: idempotencyKey)
    }
}

/// Throws every module error as a bare `Problem`, like a transport that forgot the module's decoder.
struct UntypedErrors: PaymentsFacade {
    let base: any PaymentsFacade
    func untyped<Value>(_ body: () throws -> Value) throws -> Value {
        do { return try body() } catch let error as PaymentsError { throw error.problem }
    }
    func charge(_ context: CallContext, _ request: ChargeRequest) throws -> Payment {
        try untyped { try base.charge(context, request) }
    }
    func refund(_ context: CallContext, _ request: RefundRequest) throws -> Payment {
        try untyped { try base.refund(context, request) }
    }
    func payment(_ context: CallContext, id: String) throws -> Payment { try untyped { try base.payment(context, id: id) } }
    func payments(_ context: CallContext, orderID: String) throws -> [Payment] {
        try untyped { try base.payments(context, orderID: orderID) }
    }
    func payment(_ context: CallContext, idempotencyKey: String) throws -> Payment? {
        try untyped { try base.payment(context, idempotencyKey: idempotencyKey) }
    }
}

/// Remembers every payment it answered and finds it by id for any tenant.
final class SharedAcrossTenants: PaymentsFacade {
    let base: any PaymentsFacade
    // The facade is called from one thread per case, but cases may run in parallel.
    private let seen = Mutex<[String: Payment]>([:])

    init(base: any PaymentsFacade) { self.base = base }

    func charge(_ context: CallContext, _ request: ChargeRequest) throws -> Payment {
        let payment = try base.charge(context, request)
        seen.withLock { $0[payment.id] = payment }
        return payment
    }
    func refund(_ context: CallContext, _ request: RefundRequest) throws -> Payment { try base.refund(context, request) }
    func payment(_ context: CallContext, id: String) throws -> Payment {
        if let known = seen.withLock({ $0[id] }) { return known }
        return try base.payment(context, id: id)
    }
    func payments(_ context: CallContext, orderID: String) throws -> [Payment] { try base.payments(context, orderID: orderID) }
    func payment(_ context: CallContext, idempotencyKey: String) throws -> Payment? {
        try base.payment(context, idempotencyKey: idempotencyKey)
    }
}

/// Sets and adjusts stock with an admin's rights whoever asks.
struct StockForAnyone: InventoryFacade {
    let base: any InventoryFacade
    func elevated(_ context: CallContext) -> CallContext {
        var context = context
        if context.role != nil { context.role = .admin }
        return context
    }
    func stockLevels(_ context: CallContext) throws -> [StockLevel] { try base.stockLevels(context) }
    func stockLevel(_ context: CallContext, menuItemID: String) throws -> StockLevel? {
        try base.stockLevel(context, menuItemID: menuItemID)
    }
    func setStock(_ context: CallContext, menuItemID: String, _ request: SetStock) throws -> StockLevel {
        try base.setStock(elevated(context), menuItemID: menuItemID, request)
    }
    func adjustStock(_ context: CallContext, menuItemID: String, _ adjustment: StockAdjustment) throws -> StockLevel {
        try base.adjustStock(elevated(context), menuItemID: menuItemID, adjustment)
    }
    func shortages(_ context: CallContext, lines: [StockLine]) throws -> [String] { try base.shortages(context, lines: lines) }
    func reserve(_ context: CallContext, _ request: ReserveStock) throws -> Reservation { try base.reserve(context, request) }
    func commit(_ context: CallContext, key: String) throws -> Reservation { try base.commit(context, key: key) }
    func release(_ context: CallContext, key: String) throws -> Reservation { try base.release(context, key: key) }
}

/// Makes every reservation under a fresh key, so repeating one holds stock again.
struct ForgetfulReservations: InventoryFacade {
    let base: any InventoryFacade
    func stockLevels(_ context: CallContext) throws -> [StockLevel] { try base.stockLevels(context) }
    func stockLevel(_ context: CallContext, menuItemID: String) throws -> StockLevel? {
        try base.stockLevel(context, menuItemID: menuItemID)
    }
    func setStock(_ context: CallContext, menuItemID: String, _ request: SetStock) throws -> StockLevel {
        try base.setStock(context, menuItemID: menuItemID, request)
    }
    func adjustStock(_ context: CallContext, menuItemID: String, _ adjustment: StockAdjustment) throws -> StockLevel {
        try base.adjustStock(context, menuItemID: menuItemID, adjustment)
    }
    func shortages(_ context: CallContext, lines: [StockLine]) throws -> [String] { try base.shortages(context, lines: lines) }
    func reserve(_ context: CallContext, _ request: ReserveStock) throws -> Reservation {
        var fresh = request
        if !fresh.key.isEmpty { fresh.key += ":" + UUID().uuidString }
        return try base.reserve(context, fresh)
    }
    func commit(_ context: CallContext, key: String) throws -> Reservation { try base.commit(context, key: key) }
    func release(_ context: CallContext, key: String) throws -> Reservation { try base.release(context, key: key) }
}
