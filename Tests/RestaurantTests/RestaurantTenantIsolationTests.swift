import Foundation
import Platform
import Restaurant
import RestaurantAPI
import Testing

/// Another restaurant's menu, profile and tickets answer exactly as if they did not exist.
@Suite final class RestaurantTenantIsolationTests {
    let fixture: RestaurantFixture

    init() throws { fixture = try RestaurantFixture() }
    deinit { fixture.shutdown() }

    @Test func tenantBSeesAndChangesNothingOfTenantA() throws {
        let tenantA = RestaurantFixture.context("t-rest-a")
        let tenantB = RestaurantFixture.context("t-rest-b")
        _ = try fixture.service.updateProfile(tenantA, RestaurantProfileChanges(name: "Alpha", currency: "EUR"))
        let burger = try fixture.item("Burger", price: 1000, tenant: "t-rest-a")
        let ticket = try fixture.service.openKitchenTicket(
            tenantA,
            NewKitchenTicket(orderID: "order-1", orderNumber: "A-000001", items: [.init(name: "Burger", quantity: 1)]))

        #expect(try fixture.service.profile(tenantB) == RestaurantProfile(name: "t-rest-b", currency: "USD"))
        #expect(try fixture.service.menu(tenantB, includeUnavailable: true).isEmpty)
        #expect(throws: RestaurantError.menuItemNotFound) { try fixture.service.menuItem(tenantB, id: burger.id) }
        #expect(throws: RestaurantError.menuItemNotFound) {
            try fixture.service.updateMenuItem(tenantB, id: burger.id, MenuItemChanges(priceCents: 1))
        }
        #expect(throws: RestaurantError.menuItemNotFound) { try fixture.service.deleteMenuItem(tenantB, id: burger.id) }
        #expect(try fixture.service.prices(tenantB, itemIDs: [burger.id]).isEmpty)
        #expect(try fixture.service.kitchenTickets(tenantB, includeDone: true).isEmpty)
        #expect(throws: RestaurantError.ticketNotFound) {
            try fixture.service.completeKitchenTicket(tenantB, id: ticket.id)
        }
        // The same order id is B's own business: a ticket of its own, not A's.
        let theirs = try fixture.service.openKitchenTicket(
            tenantB,
            NewKitchenTicket(orderID: "order-1", orderNumber: "B-000001", items: [.init(name: "Soup", quantity: 1)]))
        #expect(theirs.id != ticket.id)
        #expect(theirs.orderNumber == "B-000001")
        // B's new items take B's (default) currency, not A's.
        #expect(try fixture.item("Soup", tenant: "t-rest-b").currency == "USD")

        #expect(try fixture.service.profile(tenantA).name == "Alpha")
        #expect(try fixture.service.menuItem(tenantA, id: burger.id) == burger)
        #expect(try fixture.service.menu(tenantA, includeUnavailable: true).map(\.name) == ["Burger"])
        #expect(try fixture.service.kitchenTickets(tenantA, includeDone: true) == [ticket])
        #expect(try fixture.service.prices(tenantA, itemIDs: [burger.id]) == [burger])
    }
}
