import BanyanTestSupport
import Foundation
import Inventory
import InventoryAPI
import Platform
import Testing

/// Reserve, commit, release: all-or-nothing, idempotent by key, never oversold.
///
/// Tests that race many callers need a bigger pool: they are static, so
/// they make no suite instance and no suite fixture only to go unused.
@Suite final class InventoryReservationTests {
    let fixture: InventoryFixture
    let admin = InventoryFixture.context()

    init() throws { fixture = try InventoryFixture() }
    deinit { fixture.shutdown() }

    @Test static func fiftyConcurrentReservesAgainstTenInStockHoldExactlyTen() throws {
        try InventoryFixture.with(poolSize: 10) { fixture in
            let admin = InventoryFixture.context()
            let item = InventoryFixture.newItem()
            try fixture.stock(item, 10)

            enum Outcome: Sendable, Equatable {
                case held(String)
                case outOfStock([String])
                case failed(String)
            }
            let outcomes = InventoryOutcomes<Outcome>()
            let service = fixture.service
            let finished = ConcurrentCallers.run(50) { index in
                do {
                    let reservation = try service.reserve(
                        admin, ReserveStock(key: "order:\(index)", lines: [StockLine(menuItemID: item, quantity: 1)]))
                    outcomes.append(.held(reservation.key))
                } catch let error as InventoryError where error == .outOfStock([]) {
                    outcomes.append(.outOfStock(error.items))
                } catch {
                    outcomes.append(.failed(String(reflecting: error)))
                }
            }
            #expect(finished)
            let all = outcomes.all
            #expect(all.count == 50)
            let held = all.compactMap { if case .held(let key) = $0 { key } else { nil } }
            #expect(held.count == 10)
            #expect(all.filter { $0 == .outOfStock([item]) }.count == 40)
            #expect(all.filter { if case .failed = $0 { true } else { false } }.isEmpty, "\(all)")

            let level = try #require(try fixture.service.stockLevel(admin, menuItemID: item))
            #expect(level.quantity == 0)
            #expect(level.reserved == 10)
            #expect(try fixture.row(item) == InventoryCounts(10, 10))

            for key in held {
                #expect(try fixture.service.commit(admin, key: key).status == .committed)
            }
            #expect(try fixture.row(item) == InventoryCounts(0, 0))
            #expect(try fixture.service.stockLevel(admin, menuItemID: item)?.quantity == 0)
        }
    }

    @Test func reservingTheSameKeyTwiceHoldsStockOnce() throws {
        let burger = InventoryFixture.newItem()
        let cola = InventoryFixture.newItem()
        try fixture.stock(burger, 10)
        try fixture.stock(cola, 10)
        let lines = [StockLine(menuItemID: burger, quantity: 2), StockLine(menuItemID: cola, quantity: 1)]

        let first = try fixture.service.reserve(admin, ReserveStock(key: "order:1", lines: lines))
        let second = try fixture.service.reserve(admin, ReserveStock(key: "order:1", lines: lines))
        #expect(second == first)
        #expect(first.status == .held)
        #expect(try fixture.row(burger) == InventoryCounts(10, 2))
        #expect(try fixture.row(cola) == InventoryCounts(10, 1))

        // The same request in another shape (split, reordered, upper-case ids) is the same multiset.
        let reshaped = [
            StockLine(menuItemID: cola.uppercased(), quantity: 1), StockLine(menuItemID: burger, quantity: 1),
            StockLine(menuItemID: burger, quantity: 1),
        ]
        #expect(try fixture.service.reserve(admin, ReserveStock(key: "order:1", lines: reshaped)) == first)
        #expect(try fixture.row(burger) == InventoryCounts(10, 2))

        // Other lines under a used key are refused, and hold nothing more.
        for other in [
            [StockLine(menuItemID: burger, quantity: 3), StockLine(menuItemID: cola, quantity: 1)],
            [StockLine(menuItemID: burger, quantity: 2)],
            [
                StockLine(menuItemID: burger, quantity: 2), StockLine(menuItemID: cola, quantity: 1),
                StockLine(menuItemID: InventoryFixture.newItem(), quantity: 1),
            ],
        ] {
            #expect(throws: InventoryError.keyReused) {
                try fixture.service.reserve(admin, ReserveStock(key: "order:1", lines: other))
            }
        }
        #expect(try fixture.row(burger) == InventoryCounts(10, 2))
        #expect(try fixture.row(cola) == InventoryCounts(10, 1))

        // A repeat after the sale still answers the first reservation, as it now is.
        _ = try fixture.service.commit(admin, key: "order:1")
        let replay = try fixture.service.reserve(admin, ReserveStock(key: "order:1", lines: lines))
        #expect(replay.status == .committed)
        #expect(try fixture.row(burger) == InventoryCounts(8, 0))
    }

    @Test static func concurrentRepeatsOfOneKeyHoldOnce() throws {
        try InventoryFixture.with(poolSize: 8) { fixture in
            let admin = InventoryFixture.context()
            let item = InventoryFixture.newItem()
            try fixture.stock(item, 100)
            let outcomes = InventoryOutcomes<String>()
            let service = fixture.service
            #expect(
                ConcurrentCallers.run(16) { _ in
                    do {
                        let reservation = try service.reserve(
                            admin, ReserveStock(key: "retry", lines: [StockLine(menuItemID: item, quantity: 3)]))
                        outcomes.append("\(reservation.status) \(reservation.createdAt.timeIntervalSince1970)")
                    } catch {
                        outcomes.append(String(reflecting: error))
                    }
                })
            #expect(Set(outcomes.all).count == 1, "\(outcomes.all)")
            #expect(outcomes.all.first?.hasPrefix("held ") == true)
            #expect(try fixture.row(item) == InventoryCounts(100, 3))
        }
    }

    @Test static func commitsRacingRepeatsOfTheirReserveSellOnce() throws {
        try InventoryFixture.with(poolSize: 8) { fixture in
            let admin = InventoryFixture.context()
            let first = InventoryFixture.newItem()
            let second = InventoryFixture.newItem()
            try fixture.stock(first, 10)
            try fixture.stock(second, 10)
            let lines = [StockLine(menuItemID: first, quantity: 2), StockLine(menuItemID: second, quantity: 1)]
            _ = try fixture.service.reserve(admin, ReserveStock(key: "order:1", lines: lines))
            let statuses = InventoryOutcomes<String>()
            let service = fixture.service
            #expect(
                ConcurrentCallers.run(12) { index in
                    do {
                        let reservation =
                            index.isMultiple(of: 2)
                            ? try service.commit(admin, key: "order:1")
                            : try service.reserve(admin, ReserveStock(key: "order:1", lines: lines))
                        statuses.append(reservation.status.rawValue)
                    } catch {
                        statuses.append(String(reflecting: error))
                    }
                })
            #expect(statuses.all.count == 12)
            #expect(statuses.all.allSatisfy { $0 == "held" || $0 == "committed" }, "\(statuses.all)")
            #expect(try fixture.row(first) == InventoryCounts(8, 0))
            #expect(try fixture.row(second) == InventoryCounts(9, 0))
        }
    }

    @Test func aReservationHoldsEveryLineOrNone() throws {
        let plenty = InventoryFixture.newItem()
        let scarce = InventoryFixture.newItem()
        let empty = InventoryFixture.newItem()
        let untracked = InventoryFixture.newItem()
        try fixture.stock(plenty, 5)
        try fixture.stock(scarce, 1)
        try fixture.stock(empty, 0)

        let error = #expect(throws: InventoryError.outOfStock([])) {
            try fixture.service.reserve(
                admin,
                ReserveStock(
                    key: "order:1",
                    lines: [
                        StockLine(menuItemID: plenty, quantity: 2), StockLine(menuItemID: scarce, quantity: 2),
                        StockLine(menuItemID: untracked, quantity: 50), StockLine(menuItemID: empty, quantity: 1),
                    ]))
        }
        #expect(Set(error?.items ?? []) == [scarce, empty])
        #expect(error?.problem.status == 409)
        #expect(error?.problem.extensions["items"] != nil)
        #expect(try fixture.row(plenty) == InventoryCounts(5, 0))
        #expect(try fixture.row(scarce) == InventoryCounts(1, 0))
        // Nothing was kept under the key: it is free for a request that fits.
        #expect(throws: InventoryError.reservationNotFound) { try fixture.service.commit(admin, key: "order:1") }
        let fits = try fixture.service.reserve(
            admin,
            ReserveStock(
                key: "order:1",
                lines: [StockLine(menuItemID: plenty, quantity: 2), StockLine(menuItemID: scarce, quantity: 1)]))
        #expect(fits.status == .held)
        #expect(try fixture.row(plenty) == InventoryCounts(5, 2))
        #expect(try fixture.row(scarce) == InventoryCounts(1, 1))
    }

    @Test func releaseOfAHeldReservationPutsTheHoldBack() throws {
        let item = InventoryFixture.newItem()
        try fixture.stock(item, 10)
        _ = try fixture.service.reserve(
            admin, ReserveStock(key: "k", lines: [StockLine(menuItemID: item, quantity: 3)]))
        #expect(try fixture.service.stockLevel(admin, menuItemID: item)?.quantity == 7)

        let released = try fixture.service.release(admin, key: "k")
        #expect(released.status == .released)
        #expect(try fixture.row(item) == InventoryCounts(10, 0))
        // Idempotent: a second release changes nothing.
        #expect(try fixture.service.release(admin, key: "k") == released)
        #expect(try fixture.row(item) == InventoryCounts(10, 0))
        #expect(throws: InventoryError.reservationReleased) { try fixture.service.commit(admin, key: "k") }
        #expect(try fixture.row(item) == InventoryCounts(10, 0))
        #expect(try fixture.movements(item).map(\.reason) == ["set", "release"])
    }

    @Test func releaseAfterCommitReturnsTheUnitsToTheShelf() throws {
        let item = InventoryFixture.newItem()
        try fixture.stock(item, 10)
        _ = try fixture.service.reserve(
            admin, ReserveStock(key: "k", lines: [StockLine(menuItemID: item, quantity: 3)]))
        let committed = try fixture.service.commit(admin, key: "k")
        #expect(committed.status == .committed)
        #expect(try fixture.row(item) == InventoryCounts(7, 0))
        // Idempotent: a second commit sells nothing more.
        #expect(try fixture.service.commit(admin, key: "k") == committed)
        #expect(try fixture.row(item) == InventoryCounts(7, 0))

        #expect(try fixture.service.release(admin, key: "k").status == .released)
        #expect(try fixture.row(item) == InventoryCounts(10, 0))
        #expect(try fixture.service.release(admin, key: "k").status == .released)
        #expect(try fixture.row(item) == InventoryCounts(10, 0))
        let trail = try fixture.movements(item)
        #expect(trail.map(\.reason) == ["set", "sale", "return"])
        #expect(trail.map(\.onHand) == [10, -3, 3])
        #expect(trail.map(\.reserved) == [0, -3, 0])
    }

    @Test func unknownKeysAreNotFound() throws {
        #expect(throws: InventoryError.reservationNotFound) { try fixture.service.commit(admin, key: "nope") }
        #expect(throws: InventoryError.reservationNotFound) { try fixture.service.release(admin, key: "nope") }
    }

    @Test func untrackedItemsAreAlwaysAvailableAndNeverHeld() throws {
        let item = InventoryFixture.newItem()
        #expect(try fixture.service.stockLevel(admin, menuItemID: item) == nil)
        #expect(try fixture.service.shortages(admin, lines: [StockLine(menuItemID: item, quantity: 1000)]).isEmpty)
        let reservation = try fixture.service.reserve(
            admin, ReserveStock(key: "k", lines: [StockLine(menuItemID: item, quantity: 1000)]))
        #expect(reservation.lines == [StockLine(menuItemID: item, quantity: 1000)])
        #expect(try fixture.row(item) == nil)

        // Tracking starts while the reservation is open: it never held this
        // item, so its commit and release must leave the new stock alone.
        try fixture.stock(item, 4)
        #expect(try fixture.service.commit(admin, key: "k").status == .committed)
        #expect(try fixture.row(item) == InventoryCounts(4, 0))
        #expect(try fixture.service.release(admin, key: "k").status == .released)
        #expect(try fixture.row(item) == InventoryCounts(4, 0))
    }

    @Test func shortagesNameTheItemsThatCannotBeSuppliedAndChangeNothing() throws {
        let enough = InventoryFixture.newItem()
        let short = InventoryFixture.newItem()
        try fixture.stock(enough, 3)
        try fixture.stock(short, 3)
        _ = try fixture.service.reserve(
            admin, ReserveStock(key: "k", lines: [StockLine(menuItemID: short, quantity: 2)]))
        let missing = try fixture.service.shortages(
            admin,
            lines: [
                StockLine(menuItemID: enough, quantity: 3), StockLine(menuItemID: short, quantity: 1),
                StockLine(menuItemID: short, quantity: 1),
                StockLine(menuItemID: InventoryFixture.newItem(), quantity: 9),
            ])
        #expect(missing == [short])
        #expect(try fixture.row(enough) == InventoryCounts(3, 0))
        #expect(try fixture.row(short) == InventoryCounts(3, 2))
    }

    @Test(arguments: [
        ([StockLine(menuItemID: "not-a-uuid", quantity: 1)], "lines.0.menu_item_id"),
        ([StockLine(menuItemID: UUID().uuidString, quantity: 0)], "lines.0.quantity"),
        ([StockLine(menuItemID: UUID().uuidString, quantity: 1001)], "lines.0.quantity"),
        ([], "lines"),
        (Array(repeating: StockLine(menuItemID: UUID().uuidString, quantity: 1), count: 101), "lines"),
    ])
    func reserveRefusesBadLines(lines: [StockLine], field: String) throws {
        let error = #expect(throws: InventoryError.invalidInput(field: "", reason: "")) {
            try fixture.service.reserve(admin, ReserveStock(key: "k", lines: lines))
        }
        #expect(error?.detail.hasPrefix(field + ":") == true, "\(String(describing: error?.detail))")
        #expect(error?.problem.status == 422)
    }

    @Test func reserveRefusesBadKeys() throws {
        let line = [StockLine(menuItemID: InventoryFixture.newItem(), quantity: 1)]
        for key in ["", String(repeating: "k", count: 201), "a\u{0}b", "line\nbreak"] {
            #expect(throws: InventoryError.invalidInput(field: "key", reason: "")) {
                try fixture.service.reserve(admin, ReserveStock(key: key, lines: line))
            }
        }
    }
}
