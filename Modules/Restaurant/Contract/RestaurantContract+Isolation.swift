import Contract
import Platform
import RestaurantAPI

extension RestaurantContract {
    static let isolation: [Case] = [
        Case("another tenant can neither see nor change a menu item, and has a profile of its own") {
            restaurant, env in
            let soup = try item(restaurant, env, "Soup", cents: 650, category: "Starters")
            _ = try restaurant.updateProfile(env.manager, RestaurantProfileChanges(name: "Owner's Place", currency: "EUR"))
            let stranger = env.otherTenantContext(.admin)
            try Expect.error(RestaurantError.menuItemNotFound, "other tenant: menu item by id") {
                try restaurant.menuItem(stranger, id: soup.id)
            }
            try Expect.error(RestaurantError.menuItemNotFound, "other tenant: change the item") {
                try restaurant.updateMenuItem(stranger, id: soup.id, MenuItemChanges(priceCents: 1, available: false))
            }
            try Expect.error(RestaurantError.menuItemNotFound, "other tenant: delete the item") {
                try restaurant.deleteMenuItem(stranger, id: soup.id)
            }
            try Expect.equal(try restaurant.menu(stranger, includeUnavailable: true), [], "other tenant: menu")
            try Expect.equal(try restaurant.prices(stranger, itemIDs: [soup.id]), [], "other tenant: prices")
            try Expect.equal(
                try restaurant.profile(stranger), RestaurantProfile(name: env.otherTenant.value, currency: "USD"),
                "other tenant: profile")
            _ = try restaurant.updateProfile(stranger, RestaurantProfileChanges(name: "Stranger's Place"))
            try Expect.equal(try restaurant.profile(env.cashier).name, "Owner's Place", "the owner's profile afterwards")
            try Expect.equal(try restaurant.menuItem(env.cashier, id: soup.id), soup, "the owner's item afterwards")
        },
        Case("kitchen tickets belong to their tenant: another cannot see or complete one, and the same order is its own") {
            restaurant, env in
            let request = newTicket(env)
            let mine = try restaurant.openKitchenTicket(env.cashier, request)
            let stranger = env.otherTenantContext(.admin)
            try Expect.equal(try restaurant.kitchenTickets(stranger, includeDone: true), [], "other tenant: tickets")
            try Expect.error(RestaurantError.ticketNotFound, "other tenant: complete the ticket") {
                try restaurant.completeKitchenTicket(stranger, id: mine.id)
            }
            let theirs = try restaurant.openKitchenTicket(stranger, request)
            try Expect.that(theirs.id != mine.id, "other tenant: the same order id opens a ticket of its own")
            try Expect.equal(try restaurant.kitchenTickets(stranger, includeDone: true), [theirs], "other tenant's ticket")
            try Expect.equal(try restaurant.kitchenTickets(env.cashier, includeDone: true), [mine], "the owner's tickets")
        },
    ]
}
