import Foundation
import Platform
import Restaurant
import RestaurantAPI
import Testing

/// The profile and the menu: CRUD with soft delete, ordering, prices, validation, roles.
@Suite final class RestaurantMenuTests {
    let fixture: RestaurantFixture
    let admin = RestaurantFixture.context()

    init() throws { fixture = try RestaurantFixture() }
    deinit { fixture.shutdown() }

    @Test func aRestaurantWithoutAProfileReadsTheDefaultsUntilItSavesOne() throws {
        #expect(try fixture.service.profile(admin) == RestaurantProfile(name: "t-rest-a", currency: "USD"))

        let saved = try fixture.service.updateProfile(
            admin, RestaurantProfileChanges(address: " 1 Fig Street ", phone: "+1 555 0100"))
        #expect(
            saved == RestaurantProfile(name: "t-rest-a", address: "1 Fig Street", phone: "+1 555 0100", currency: "USD")
        )
        let renamed = try fixture.service.updateProfile(
            admin, RestaurantProfileChanges(name: "Banyan Café", phone: "", currency: "EUR"))
        // Only the fields sent change; an empty one is cleared.
        #expect(
            renamed == RestaurantProfile(name: "Banyan Café", address: "1 Fig Street", phone: nil, currency: "EUR"))
        #expect(try fixture.service.profile(RestaurantFixture.context(role: .cashier)) == renamed)

        for changes in [
            RestaurantProfileChanges(name: " "), RestaurantProfileChanges(currency: "eur"),
            RestaurantProfileChanges(phone: String(repeating: "1", count: 51)),
        ] {
            #expect(throws: RestaurantError.invalidInput(field: "", reason: "")) {
                try fixture.service.updateProfile(admin, changes)
            }
        }
        #expect(throws: AccessDenied(needed: .manager)) {
            try fixture.service.updateProfile(
                RestaurantFixture.context(role: .cashier), RestaurantProfileChanges(name: "Mine"))
        }
        #expect(try fixture.service.profile(admin) == renamed)
    }

    @Test func menuItemsAreCreatedReadUpdatedAndSoftDeleted() throws {
        _ = try fixture.service.updateProfile(admin, RestaurantProfileChanges(currency: "EUR"))
        let manager = RestaurantFixture.context(role: .manager)
        let burger = try fixture.service.createMenuItem(
            manager,
            NewMenuItem(name: "  Burger ", description: "Beef, bun.", priceCents: 1250, category: "Mains"))
        #expect(burger.name == "Burger")
        #expect(burger.description == "Beef, bun.")
        #expect(burger.priceCents == 1250)
        #expect(burger.currency == "EUR")  // the restaurant's
        #expect(burger.category == "Mains")
        #expect(burger.available)
        #expect(UUID(uuidString: burger.id) != nil)
        #expect(try fixture.service.menuItem(admin, id: burger.id) == burger)
        #expect(try fixture.service.menuItem(admin, id: burger.id.uppercased()) == burger)

        let changed = try fixture.service.updateMenuItem(
            manager, id: burger.id, MenuItemChanges(priceCents: 1400, category: "", available: false))
        #expect(changed.priceCents == 1400)
        #expect(changed.category == nil)
        #expect(!changed.available)
        #expect(changed.name == "Burger")
        #expect(changed.description == "Beef, bun.")
        #expect(changed.updatedAt >= burger.updatedAt)
        #expect(try fixture.service.menuItem(admin, id: burger.id) == changed)

        try fixture.service.deleteMenuItem(manager, id: burger.id)
        #expect(throws: RestaurantError.menuItemNotFound) { try fixture.service.menuItem(admin, id: burger.id) }
        #expect(try fixture.service.menu(admin, includeUnavailable: true).isEmpty)
        #expect(throws: RestaurantError.menuItemNotFound) { try fixture.service.deleteMenuItem(manager, id: burger.id) }
        #expect(throws: RestaurantError.menuItemNotFound) {
            try fixture.service.updateMenuItem(manager, id: burger.id, MenuItemChanges(name: "Zombie"))
        }
        // Soft: the row is still there for the orders that sold it.
        let kept = try fixture.database.pool(for: "restaurant").transaction(tenant: "t-rest-a") { db in
            try db.query("SELECT name, deleted_at IS NOT NULL AS gone FROM restaurant.menu_items").first.map {
                (try $0.string("name"), try $0.bool("gone"))
            }
        }
        #expect(kept?.0 == "Burger")
        #expect(kept?.1 == true)
    }

    @Test func idsThatAreNotUUIDsAreNotFoundNeverADatabaseError() throws {
        for id in ["", "42", "not-a-uuid", "'; DROP TABLE restaurant.menu_items; --", UUID().uuidString] {
            #expect(throws: RestaurantError.menuItemNotFound) { try fixture.service.menuItem(admin, id: id) }
            #expect(throws: RestaurantError.menuItemNotFound) {
                try fixture.service.updateMenuItem(admin, id: id, MenuItemChanges(name: "x"))
            }
            #expect(throws: RestaurantError.menuItemNotFound) { try fixture.service.deleteMenuItem(admin, id: id) }
        }
    }

    @Test func theMenuIsOrderedByCategoryWithUncategorisedLastThenByName() throws {
        try fixture.item("Water")
        try fixture.item("Soup", category: "Starters")
        try fixture.item("Steak", category: "Mains")
        try fixture.item("Burger", category: "Mains")
        try fixture.item("Bread")
        try fixture.item("Special", category: "Mains", available: false)
        #expect(
            try fixture.service.menu(admin, includeUnavailable: false).map(\.name) == [
                "Burger", "Steak", "Soup", "Bread", "Water",
            ])
        #expect(
            try fixture.service.menu(admin, includeUnavailable: true).map(\.name) == [
                "Burger", "Special", "Steak", "Soup", "Bread", "Water",
            ])
    }

    @Test func pricesAnswersKnownItemsInOneCallAndDropsTheRest() throws {
        let burger = try fixture.item("Burger", price: 1250)
        let cola = try fixture.item("Cola", price: 300)
        let special = try fixture.item("Special", price: 2000, available: false)
        let gone = try fixture.item("Gone", price: 100)
        try fixture.service.deleteMenuItem(admin, id: gone.id)
        let cashier = RestaurantFixture.context(role: .cashier)

        let answered = try fixture.service.prices(
            cashier,
            itemIDs: [
                burger.id, cola.id.uppercased(), special.id, gone.id, UUID().uuidString, "not-a-uuid", "", burger.id,
            ])
        let byID = Dictionary(uniqueKeysWithValues: answered.map { ($0.id, $0) })
        #expect(answered.count == 3)
        #expect(byID[burger.id]?.priceCents == 1250)
        #expect(byID[cola.id]?.priceCents == 300)
        #expect(byID[special.id]?.available == false)
        #expect(byID[gone.id] == nil)
        #expect(try fixture.service.prices(cashier, itemIDs: []).isEmpty)
        #expect(try fixture.service.prices(cashier, itemIDs: ["nope"]).isEmpty)
    }

    @Test func menuInputIsValidated() throws {
        let bad: [(NewMenuItem, String)] = [
            (NewMenuItem(name: "", priceCents: 100), "name"),
            (NewMenuItem(name: "   ", priceCents: 100), "name"),
            (NewMenuItem(name: String(repeating: "n", count: 201), priceCents: 100), "name"),
            (NewMenuItem(name: "Tab\tbed", priceCents: 100), "name"),
            (
                NewMenuItem(name: "Soup", description: String(repeating: "d", count: 2001), priceCents: 100),
                "description"
            ),
            (NewMenuItem(name: "Soup", description: "nul\u{0}byte", priceCents: 100), "description"),
            (NewMenuItem(name: "Soup", priceCents: -1), "price_cents"),
            (NewMenuItem(name: "Soup", priceCents: 100_000_001), "price_cents"),
            (NewMenuItem(name: "Soup", priceCents: 100, currency: "usd"), "currency"),
            (NewMenuItem(name: "Soup", priceCents: 100, currency: "EURO"), "currency"),
            (NewMenuItem(name: "Soup", priceCents: 100, category: String(repeating: "c", count: 101)), "category"),
        ]
        for (item, field) in bad {
            let error = #expect(throws: RestaurantError.invalidInput(field: "", reason: "")) {
                try fixture.service.createMenuItem(admin, item)
            }
            #expect(error?.detail.hasPrefix(field + ":") == true, "\(field): \(String(describing: error?.detail))")
            #expect(error?.problem.status == 422)
        }
        #expect(try fixture.service.menu(admin, includeUnavailable: true).isEmpty)

        // Limits are inclusive.
        let edge = try fixture.service.createMenuItem(
            admin,
            NewMenuItem(
                name: String(repeating: "n", count: 200), description: String(repeating: "d", count: 2000),
                priceCents: 100_000_000))
        #expect(edge.priceCents == 100_000_000)
        #expect(try fixture.service.createMenuItem(admin, NewMenuItem(name: "Free", priceCents: 0)).priceCents == 0)
        #expect(throws: RestaurantError.invalidInput(field: "", reason: "")) {
            try fixture.service.updateMenuItem(admin, id: edge.id, MenuItemChanges(priceCents: -5))
        }
        #expect(try fixture.service.menuItem(admin, id: edge.id).priceCents == 100_000_000)
    }

    @Test func aCashierReadsTheMenuButCannotWriteIt() throws {
        let burger = try fixture.item("Burger", price: 1000)
        let cashier = RestaurantFixture.context(role: .cashier)
        #expect(throws: AccessDenied(needed: .manager)) {
            try fixture.service.createMenuItem(cashier, NewMenuItem(name: "Free lunch", priceCents: 0))
        }
        #expect(throws: AccessDenied(needed: .manager)) {
            try fixture.service.updateMenuItem(cashier, id: burger.id, MenuItemChanges(priceCents: 1))
        }
        #expect(throws: AccessDenied(needed: .manager)) { try fixture.service.deleteMenuItem(cashier, id: burger.id) }
        #expect(try fixture.service.menu(cashier, includeUnavailable: false) == [burger])
        #expect(try fixture.service.menuItem(cashier, id: burger.id) == burger)
        #expect(throws: AccessDenied.self) {
            try fixture.service.menu(RestaurantFixture.context(role: nil), includeUnavailable: false)
        }
    }
}
