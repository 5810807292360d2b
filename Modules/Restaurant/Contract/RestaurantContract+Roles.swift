import Contract
import Platform
import RestaurantAPI

extension RestaurantContract {
    static let roles: [Case] = [
        Case("a cashier reads everything and works the kitchen, but cannot change the menu or profile (AccessDenied)") {
            restaurant, env in
            let soup = try item(restaurant, env, "Soup", cents: 650)
            let needsManager = AccessDenied(needed: .manager)
            try Expect.error(needsManager, "create a menu item as cashier") {
                try restaurant.createMenuItem(env.cashier, NewMenuItem(name: "Sneaky", priceCents: 1))
            }
            try Expect.error(needsManager, "change a menu item as cashier") {
                try restaurant.updateMenuItem(env.cashier, id: soup.id, MenuItemChanges(priceCents: 1))
            }
            try Expect.error(needsManager, "delete a menu item as cashier") {
                try restaurant.deleteMenuItem(env.cashier, id: soup.id)
            }
            try Expect.error(needsManager, "change the profile as cashier") {
                try restaurant.updateProfile(env.cashier, RestaurantProfileChanges(name: "Mine now"))
            }
            try Expect.equal(try restaurant.menu(env.cashier, includeUnavailable: true), [soup], "the menu afterwards")
            try Expect.equal(try restaurant.menuItem(env.cashier, id: soup.id), soup, "the item afterwards")
            try Expect.equal(try restaurant.prices(env.cashier, itemIDs: [soup.id]), [soup], "prices as cashier")
            try Expect.equal(try restaurant.profile(env.cashier).name, env.tenant.value, "the profile afterwards")
            let ticket = try restaurant.openKitchenTicket(env.cashier, newTicket(env))
            try Expect.equal(
                try restaurant.completeKitchenTicket(env.cashier, id: ticket.id).status, .done, "a cashier completes a ticket")
        },
        Case("a call without a role is refused everything (AccessDenied)") { restaurant, env in
            let soup = try item(restaurant, env, "Soup")
            let open = try restaurant.openKitchenTicket(env.cashier, newTicket(env))
            let nobody = env.context(nil)
            let needsCashier = AccessDenied(needed: .cashier)
            let needsManager = AccessDenied(needed: .manager)
            try Expect.error(needsCashier, "profile without a role") { try restaurant.profile(nobody) }
            try Expect.error(needsCashier, "menu without a role") { try restaurant.menu(nobody, includeUnavailable: true) }
            try Expect.error(needsCashier, "menu item without a role") { try restaurant.menuItem(nobody, id: soup.id) }
            try Expect.error(needsCashier, "prices without a role") { try restaurant.prices(nobody, itemIDs: [soup.id]) }
            try Expect.error(needsCashier, "kitchen tickets without a role") {
                try restaurant.kitchenTickets(nobody, includeDone: true)
            }
            try Expect.error(needsCashier, "open a ticket without a role") {
                try restaurant.openKitchenTicket(nobody, newTicket(env))
            }
            try Expect.error(needsCashier, "complete a ticket without a role") {
                try restaurant.completeKitchenTicket(nobody, id: open.id)
            }
            try Expect.error(needsManager, "create a menu item without a role") {
                try restaurant.createMenuItem(nobody, NewMenuItem(name: "Sneaky", priceCents: 1))
            }
            try Expect.error(needsManager, "delete a menu item without a role") {
                try restaurant.deleteMenuItem(nobody, id: soup.id)
            }
            try Expect.equal(
                try restaurant.kitchenTickets(env.cashier, includeDone: true), [open], "the kitchen afterwards")
            try Expect.equal(try restaurant.menuItem(env.cashier, id: soup.id), soup, "the item afterwards")
        },
    ]
}
