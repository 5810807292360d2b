import BanyanTestSupport
import Foundation
import Inventory
import InventoryAPI
import Platform
import Testing

/// Stock levels, set and adjust, low-stock events, roles and tenants.
///
/// The test that races many callers needs a bigger pool: it is static, so
/// it makes no suite instance and no suite fixture only to go unused.
@Suite final class InventoryStockTests {
    let fixture: InventoryFixture
    let admin = InventoryFixture.context()

    init() throws { fixture = try InventoryFixture() }
    deinit { fixture.shutdown() }

    @Test func setStockTracksAnItemAndListsIt() throws {
        let first = InventoryFixture.newItem()
        let second = InventoryFixture.newItem()
        #expect(try fixture.service.stockLevels(admin).isEmpty)
        let level = try fixture.stock(first, 12, threshold: 3)
        #expect(level.menuItemID == first)
        #expect(level.quantity == 12)
        #expect(level.reserved == 0)
        #expect(level.lowStockThreshold == 3)
        try fixture.stock(second.uppercased(), 4)
        #expect(Set(try fixture.service.stockLevels(admin).map(\.menuItemID)) == [first, second])
        // Setting again replaces the count and keeps the threshold unless given.
        let again = try fixture.stock(first, 20)
        #expect(again.quantity == 20)
        #expect(again.lowStockThreshold == 3)
        #expect(try fixture.service.stockLevel(admin, menuItemID: first) == again)
        #expect(try fixture.movements(first).map(\.onHand) == [12, 8])
        // An id that is not a UUID names no item: untracked, not an error.
        #expect(try fixture.service.stockLevel(admin, menuItemID: "not-a-uuid") == nil)
    }

    @Test func adjustNeverTakesStockBelowZeroOrBelowWhatIsHeld() throws {
        let item = InventoryFixture.newItem()
        try fixture.stock(item, 2)
        #expect(throws: InventoryError.insufficientStock) {
            try fixture.service.adjustStock(admin, menuItemID: item, StockAdjustment(delta: -3, reason: "waste"))
        }
        #expect(try fixture.row(item) == InventoryCounts(2, 0))
        let emptied = try fixture.service.adjustStock(
            admin, menuItemID: item, StockAdjustment(delta: -2, reason: "waste"))
        #expect(emptied.quantity == 0)
        #expect(try fixture.row(item) == InventoryCounts(0, 0))

        let delivered = try fixture.service.adjustStock(
            admin, menuItemID: item, StockAdjustment(delta: 5, reason: "delivery"))
        #expect(delivered.quantity == 5)
        _ = try fixture.service.reserve(
            admin, ReserveStock(key: "k", lines: [StockLine(menuItemID: item, quantity: 4)]))
        // Four are held by a checkout: only one can go.
        #expect(throws: InventoryError.insufficientStock) {
            try fixture.service.adjustStock(admin, menuItemID: item, StockAdjustment(delta: -2, reason: "waste"))
        }
        #expect(throws: InventoryError.insufficientStock) {
            try fixture.service.setStock(admin, menuItemID: item, SetStock(quantity: 3))
        }
        #expect(try fixture.row(item) == InventoryCounts(5, 4))
        let trail = try fixture.movements(item)
        #expect(trail.map(\.reason) == ["set", "waste", "delivery"])
        #expect(trail.map(\.onHand) == [2, -2, 5])
    }

    @Test static func concurrentAdjustmentsNeverOvershootZero() throws {
        try InventoryFixture.with(poolSize: 8) { fixture in
            let admin = InventoryFixture.context()
            let item = InventoryFixture.newItem()
            try fixture.stock(item, 10)
            let refused = InventoryOutcomes<Bool>()
            let service = fixture.service
            #expect(
                ConcurrentCallers.run(25) { _ in
                    do {
                        _ = try service.adjustStock(
                            admin, menuItemID: item, StockAdjustment(delta: -1, reason: "waste"))
                        refused.append(false)
                    } catch {
                        refused.append(error as? InventoryError == .insufficientStock)
                    }
                })
            #expect(refused.all.count == 25)
            #expect(refused.all.filter { $0 }.count == 15)
            #expect(try fixture.row(item) == InventoryCounts(0, 0))
        }
    }

    @Test func adjustingAnUntrackedItemStartsTrackingItOnlyUpwards() throws {
        let item = InventoryFixture.newItem()
        #expect(throws: InventoryError.insufficientStock) {
            try fixture.service.adjustStock(admin, menuItemID: item, StockAdjustment(delta: -1, reason: "waste"))
        }
        #expect(try fixture.service.stockLevel(admin, menuItemID: item) == nil)
        let level = try fixture.service.adjustStock(
            admin, menuItemID: item, StockAdjustment(delta: 6, reason: "delivery"))
        #expect(level.quantity == 6)
        #expect(try fixture.row(item) == InventoryCounts(6, 0))
    }

    @Test func stockLowIsPublishedOnceWhenSellableCrossesTheThreshold() throws {
        let item = InventoryFixture.newItem()
        try fixture.stock(item, 5, threshold: 2)
        #expect(try fixture.stockLowEvents().isEmpty)

        func reserve(_ key: String, _ quantity: Int) throws {
            _ = try fixture.service.reserve(
                admin, ReserveStock(key: key, lines: [StockLine(menuItemID: item, quantity: quantity)]))
        }
        try reserve("a", 2)  // 3 sellable: above
        #expect(try fixture.stockLowEvents().isEmpty)
        try reserve("b", 1)  // 2 sellable: crossed
        #expect(try fixture.stockLowEvents() == [StockLow(menuItemID: item, quantity: 2, threshold: 2)])
        try reserve("c", 1)  // 1 sellable: still low, not news
        #expect(try fixture.stockLowEvents().count == 1)

        // Back above (released and restocked), then down again by an adjustment: a second crossing.
        _ = try fixture.service.release(admin, key: "c")
        _ = try fixture.service.adjustStock(admin, menuItemID: item, StockAdjustment(delta: 10, reason: "delivery"))
        _ = try fixture.service.adjustStock(admin, menuItemID: item, StockAdjustment(delta: -11, reason: "waste"))
        #expect(
            try fixture.stockLowEvents() == [
                StockLow(menuItemID: item, quantity: 2, threshold: 2),
                StockLow(menuItemID: item, quantity: 1, threshold: 2),
            ])

        // A rolled-back change publishes nothing.
        #expect(throws: InventoryError.outOfStock([])) { try reserve("d", 5) }
        #expect(try fixture.stockLowEvents().count == 2)
    }

    @Test func aCashierReadsAndReservesButCannotChangeStock() throws {
        let item = InventoryFixture.newItem()
        try fixture.stock(item, 3)
        let cashier = InventoryFixture.context(role: .cashier)
        #expect(throws: AccessDenied(needed: .manager)) {
            try fixture.service.setStock(cashier, menuItemID: item, SetStock(quantity: 100))
        }
        #expect(throws: AccessDenied(needed: .manager)) {
            try fixture.service.adjustStock(cashier, menuItemID: item, StockAdjustment(delta: 100, reason: "mine"))
        }
        #expect(try fixture.row(item) == InventoryCounts(3, 0))
        #expect(try fixture.service.stockLevels(cashier).count == 1)
        _ = try fixture.service.reserve(
            cashier, ReserveStock(key: "k", lines: [StockLine(menuItemID: item, quantity: 1)]))
        #expect(try fixture.service.commit(cashier, key: "k").status == .committed)

        // No role at all (an anonymous context) reads nothing.
        let anonymous = InventoryFixture.context(role: nil)
        #expect(throws: AccessDenied.self) { try fixture.service.stockLevels(anonymous) }
        #expect(throws: AccessDenied.self) {
            try fixture.service.reserve(
                anonymous, ReserveStock(key: "x", lines: [StockLine(menuItemID: item, quantity: 1)]))
        }
    }

    @Test func anotherTenantSeesNoneOfTheStockAndCannotTouchIt() throws {
        let tenantB = InventoryFixture.context("t-inv-b")
        let item = InventoryFixture.newItem()
        try fixture.stock(item, 5)
        _ = try fixture.service.reserve(
            admin, ReserveStock(key: "order:1", lines: [StockLine(menuItemID: item, quantity: 2)]))

        #expect(try fixture.service.stockLevels(tenantB).isEmpty)
        #expect(try fixture.service.stockLevel(tenantB, menuItemID: item) == nil)
        #expect(try fixture.service.shortages(tenantB, lines: [StockLine(menuItemID: item, quantity: 99)]).isEmpty)
        // A's reservation does not exist for B.
        #expect(throws: InventoryError.reservationNotFound) { try fixture.service.commit(tenantB, key: "order:1") }
        #expect(throws: InventoryError.reservationNotFound) { try fixture.service.release(tenantB, key: "order:1") }
        // B's own key of the same name is B's: untracked there, so nothing of A's is held.
        let theirs = try fixture.service.reserve(
            tenantB, ReserveStock(key: "order:1", lines: [StockLine(menuItemID: item, quantity: 99)]))
        #expect(theirs.status == .held)
        // B tracking the same item id makes B's own row.
        try fixture.stock(item, 1, tenant: "t-inv-b")
        _ = try fixture.service.adjustStock(tenantB, menuItemID: item, StockAdjustment(delta: -1, reason: "waste"))
        #expect(try fixture.row(item, tenant: "t-inv-b") == InventoryCounts(0, 0))

        #expect(try fixture.row(item) == InventoryCounts(5, 2))
        #expect(try fixture.service.stockLevel(admin, menuItemID: item)?.quantity == 3)
        #expect(try fixture.service.commit(admin, key: "order:1").lines == [StockLine(menuItemID: item, quantity: 2)])
        #expect(try fixture.row(item) == InventoryCounts(3, 0))
        #expect(try fixture.stockLowEvents(tenant: "t-inv-b").count == 1)
        #expect(try fixture.movements(item).count == 2)
    }

    @Test func setAndAdjustRefuseBadInput() throws {
        let item = InventoryFixture.newItem()
        // Stored closures capture locals, not the suite.
        let service = fixture.service
        let admin = self.admin
        let cases: [(String, () throws -> Void)] = [
            ("menu_item_id", { _ = try service.setStock(admin, menuItemID: "nope", SetStock(quantity: 1)) }),
            ("quantity", { _ = try service.setStock(admin, menuItemID: item, SetStock(quantity: -1)) }),
            ("quantity", { _ = try service.setStock(admin, menuItemID: item, SetStock(quantity: 1_000_001)) }),
            (
                "low_stock_threshold",
                {
                    _ = try service.setStock(
                        admin, menuItemID: item, SetStock(quantity: 1, lowStockThreshold: -1))
                }
            ),
            (
                "menu_item_id",
                {
                    _ = try service.adjustStock(admin, menuItemID: "", StockAdjustment(delta: 1, reason: "x"))
                }
            ),
            (
                "delta",
                { _ = try service.adjustStock(admin, menuItemID: item, StockAdjustment(delta: 0, reason: "x")) }
            ),
            (
                "delta",
                {
                    _ = try service.adjustStock(
                        admin, menuItemID: item, StockAdjustment(delta: 1_000_001, reason: "x"))
                }
            ),
            (
                "reason",
                {
                    _ = try service.adjustStock(
                        admin, menuItemID: item, StockAdjustment(delta: 1, reason: "  "))
                }
            ),
        ]
        for (field, call) in cases {
            let error = #expect(throws: InventoryError.invalidInput(field: "", reason: "")) { try call() }
            #expect(error?.detail.hasPrefix(field + ":") == true, "\(field): \(String(describing: error?.detail))")
        }
        #expect(try fixture.row(item) == nil)
        // The ceiling holds for adjustments too.
        try fixture.stock(item, 1_000_000)
        #expect(throws: InventoryError.invalidInput(field: "", reason: "")) {
            try fixture.service.adjustStock(admin, menuItemID: item, StockAdjustment(delta: 1, reason: "delivery"))
        }
    }
}
