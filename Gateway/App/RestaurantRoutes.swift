import HTTPServer
import Platform
import RestaurantAPI

/// `/api/v1/restaurant/*`: HTTP in front of the `RestaurantFacade`.
enum RestaurantRoutes {
    static let includeUnavailable = QueryParameter.bool("include_unavailable")
    static let includeDone = QueryParameter.bool("include_done")

    static func routes(restaurant: any RestaurantFacade) -> [Route] {
        let group = RouteGroup("/api/v1/restaurant", access: .user)
        let item = RestaurantError.menuItemNotFound
        let ticket = RestaurantError.ticketNotFound
        let taken = RestaurantError.menuItemExists
        return [
            group.get(summary: "The restaurant's profile") { context in
                try restaurant.profile(context.callContext)
            },
            group.patch(summary: "Change the profile (manager+)", body: RestaurantProfileChanges.self) {
                context, changes in
                try restaurant.updateProfile(context.callContext, changes)
            },
            group.get("/menu", summary: "The menu", query: [includeUnavailable]) { context in
                try restaurant.menu(context.callContext, includeUnavailable: try context.query(includeUnavailable))
            },
            group.post("/menu", summary: "Add a menu item (manager+)", body: NewMenuItem.self, problems: [taken]) {
                context, item in
                Created(try restaurant.createMenuItem(context.callContext, item))
            },
            group.get("/menu/{id}", summary: "One menu item", problems: [item]) { context in
                try restaurant.menuItem(context.callContext, id: context.parameter("id"))
            },
            group.patch(
                "/menu/{id}", summary: "Change a menu item (manager+)", body: MenuItemChanges.self,
                problems: [item, taken]
            ) {
                context, changes in
                try restaurant.updateMenuItem(context.callContext, id: context.parameter("id"), changes)
            },
            group.delete("/menu/{id}", summary: "Remove a menu item (manager+)", problems: [item]) { context in
                try restaurant.deleteMenuItem(context.callContext, id: context.parameter("id"))
                return NoContent()
            },
            group.get("/kitchen", summary: "Kitchen tickets, open ones unless asked", query: [includeDone]) { context in
                try restaurant.kitchenTickets(context.callContext, includeDone: try context.query(includeDone))
            },
            group.post(
                "/kitchen/{id}/done", summary: "Mark a kitchen ticket done",
                problems: [ticket, RestaurantError.ticketAlreadyDone]
            ) { context in
                try restaurant.completeKitchenTicket(context.callContext, id: context.parameter("id"))
            },
        ]
    }
}
