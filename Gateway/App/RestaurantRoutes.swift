import HTTPServer
import Platform
import RestaurantAPI

/// `/api/v1/restaurant/*`: HTTP in front of the `RestaurantFacade`.
enum RestaurantRoutes {
    static func routes(restaurant: any RestaurantFacade) -> [Route] {
        [
            Route("GET", "/api/v1/restaurant", access: .user) { context in
                try JSONCoding.response(try restaurant.profile(context.callContext))
            },
            Route("PATCH", "/api/v1/restaurant", access: .user) { context in
                let changes = try context.decode(RestaurantProfileChanges.self)
                return try JSONCoding.response(try restaurant.updateProfile(context.callContext, changes))
            },
            Route("GET", "/api/v1/restaurant/menu", access: .user) { context in
                let includeUnavailable = try flag("include_unavailable", in: context.request)
                return try JSONCoding.response(
                    try restaurant.menu(context.callContext, includeUnavailable: includeUnavailable))
            },
            Route("POST", "/api/v1/restaurant/menu", access: .user) { context in
                let item = try context.decode(NewMenuItem.self)
                return try JSONCoding.response(try restaurant.createMenuItem(context.callContext, item), status: 201)
            },
            Route("GET", "/api/v1/restaurant/menu/{id}", access: .user) { context in
                try JSONCoding.response(try restaurant.menuItem(context.callContext, id: context.parameter("id")))
            },
            Route("PATCH", "/api/v1/restaurant/menu/{id}", access: .user) { context in
                let changes = try context.decode(MenuItemChanges.self)
                return try JSONCoding.response(
                    try restaurant.updateMenuItem(context.callContext, id: context.parameter("id"), changes))
            },
            Route("DELETE", "/api/v1/restaurant/menu/{id}", access: .user) { context in
                try restaurant.deleteMenuItem(context.callContext, id: context.parameter("id"))
                return HTTPResponse(status: 204)
            },
            Route("GET", "/api/v1/restaurant/kitchen", access: .user) { context in
                let includeDone = try flag("include_done", in: context.request)
                return try JSONCoding.response(
                    try restaurant.kitchenTickets(context.callContext, includeDone: includeDone))
            },
            Route("POST", "/api/v1/restaurant/kitchen/{id}/done", access: .user) { context in
                try JSONCoding.response(
                    try restaurant.completeKitchenTicket(context.callContext, id: context.parameter("id")))
            },
        ]
    }

    /// A boolean query parameter: absent is false; anything but true/false is a 400
    /// rather than a silent guess.
    static func flag(_ name: String, in request: HTTPRequest) throws -> Bool {
        switch request.queryParameters[name] {
        case nil, "false", "0": return false
        case "true", "1", "": return true
        default: throw Problem.badRequest("invalid_query", "\(name) must be true or false.")
        }
    }
}
