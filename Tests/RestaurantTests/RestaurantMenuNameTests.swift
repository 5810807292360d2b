import BanyanTestSupport
import Foundation
import Platform
import Postgres
import Restaurant
import RestaurantAPI
import Synchronization
import Testing

/// A live menu name is unique in its restaurant, up to case and surrounding
/// spaces (`RestaurantSchema` migration 2): 409 `menu_item_exists`.
@Suite struct RestaurantMenuNameTests {
    let fixture: RestaurantFixture
    init() throws { fixture = try RestaurantFixture() }

    private var manager: CallContext { RestaurantFixture.context(role: .manager) }

    @Test func aNameTakenUpToCaseAndSpacesIsRefused() throws {
        try fixture.item("Burrito")
        for name in ["Burrito", "burrito", "  BURRITO  "] {
            #expect(throws: RestaurantError.menuItemExists, "\(name)") {
                try fixture.service.createMenuItem(manager, NewMenuItem(name: name, priceCents: 900))
            }
        }
        let problem = RestaurantError.menuItemExists.problem
        #expect(problem.status == 409)
        #expect(problem.code == "menu_item_exists")
        #expect(try fixture.service.menu(manager, includeUnavailable: true).map(\.name) == ["Burrito"])
    }

    @Test func renamingOntoATakenNameIsRefusedAndRenamingToItsOwnCaseIsNot() throws {
        try fixture.item("Burrito")
        let taco = try fixture.item("Taco")
        #expect(throws: RestaurantError.menuItemExists) {
            try fixture.service.updateMenuItem(manager, id: taco.id, MenuItemChanges(name: "BURRITO"))
        }
        // An item may change its own name's case: it collides with nobody.
        let renamed = try fixture.service.updateMenuItem(manager, id: taco.id, MenuItemChanges(name: "TACO"))
        #expect(renamed.name == "TACO")
    }

    @Test func otherRestaurantsAndDeletedItemsDoNotCount() throws {
        let first = try fixture.item("Burrito")
        try fixture.item("Burrito", tenant: "t-rest-b")
        try fixture.service.deleteMenuItem(manager, id: first.id)
        let again = try fixture.item("burrito")
        #expect(again.name == "burrito")
    }

    /// The index decides, not a look-up first: of many concurrent creates of
    /// one name exactly one succeeds, and every other is `menuItemExists`.
    @Test func ofConcurrentCreatesOfOneNameExactlyOneSucceeds() throws {
        try RestaurantFixture.with(poolSize: 12) { fixture throws in
            let service = fixture.service
            let context = RestaurantFixture.context(role: .manager)
            let results = ConcurrentCallers.collect(12) { index in
                Result {
                    try service.createMenuItem(
                        context, NewMenuItem(name: index % 2 == 0 ? "Churro" : "CHURRO ", priceCents: 300))
                }
            }
            var created = 0
            var refused = 0
            for result in results {
                switch result {
                case .success?: created += 1
                case .failure(let error as RestaurantError)? where error == .menuItemExists: refused += 1
                default: Issue.record("unexpected: \(String(describing: result))")
                }
            }
            #expect(created == 1)
            #expect(refused == 11)
            #expect(try service.menu(context, includeUnavailable: true).count == 1)
        }
    }

    /// A database that already holds duplicates migrates: the oldest keeps
    /// its name, later ones get " (2)", " (3)", skipping a suffix in use.
    @Test func theMigrationRenamesDuplicatesAlreadyThere() throws {
        let url = TestDatabase.makeDatabase("menu-dupes")
        let options = Database.Options(
            databaseURL: url, embeddedDirectory: "/nonexistent", rolePassword: TestDatabase.rolePassword, poolSize: 2,
            poolWaitTimeout: 5)
        let first = ModuleSchema(name: "restaurant", migrations: Array(RestaurantSchema.module.migrations.prefix(1)))
        try Database.open(modules: [first], options: options).shutdown()
        let admin = try PostgresConnection(conninfo: url)
        defer { admin.close() }
        for (offset, name) in ["Burrito", "burrito ", "Burrito (2)", "BURRITO", "Taco"].enumerated() {
            try admin.execute(
                """
                INSERT INTO restaurant.menu_items (tenant_id, name, price_cents, currency, created_at)
                VALUES ('t-old', \(name), 100, 'USD', now() + make_interval(secs => \(offset)))
                """)
        }
        try admin.execute(
            "INSERT INTO restaurant.menu_items (tenant_id, name, price_cents, currency) VALUES ('t-other', 'Burrito', 1, 'USD')")

        try Database.open(modules: [RestaurantSchema.module], options: options).shutdown()
        let names = try admin.query(
            "SELECT tenant_id, name FROM restaurant.menu_items ORDER BY tenant_id, created_at, id"
        ).map { "\(try $0.string("tenant_id")):\(try $0.string("name"))" }
        #expect(names == ["t-old:Burrito", "t-old:burrito (3)", "t-old:Burrito (2)", "t-old:BURRITO (4)", "t-old:Taco", "t-other:Burrito"])
        // And the rule now holds there too.
        #expect(throws: PostgresError.self) {
            try admin.execute(
                "INSERT INTO restaurant.menu_items (tenant_id, name, price_cents, currency) VALUES ('t-old', ' taco', 1, 'USD')")
        }
    }
}
