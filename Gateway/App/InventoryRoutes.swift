import HTTPServer
import InventoryAPI
import Platform

/// `/api/v1/inventory/*`: HTTP in front of the `InventoryFacade`. Reservations
/// are not on the wire: only the checkout saga makes them, through the facade.
enum InventoryRoutes {
    /// 404 for an item whose stock is not tracked (it never runs out).
    static let stockNotTracked = Problem.notFound(
        "stock_not_tracked", "Stock is not tracked for that item; it is always available.")

    static func routes(inventory: any InventoryFacade) -> [Route] {
        [
            Route("GET", "/api/v1/inventory", access: .user) { context in
                try JSONCoding.response(try inventory.stockLevels(context.callContext))
            },
            Route("GET", "/api/v1/inventory/{item_id}", access: .user) { context in
                guard
                    let level = try inventory.stockLevel(context.callContext, menuItemID: context.parameter("item_id"))
                else { throw stockNotTracked }
                return try JSONCoding.response(level)
            },
            Route("PUT", "/api/v1/inventory/{item_id}", access: .user) { context in
                let request = try context.decode(SetStock.self)
                return try JSONCoding.response(
                    try inventory.setStock(context.callContext, menuItemID: context.parameter("item_id"), request))
            },
            Route("POST", "/api/v1/inventory/{item_id}/adjust", access: .user) { context in
                let adjustment = try context.decode(StockAdjustment.self)
                return try JSONCoding.response(
                    try inventory.adjustStock(context.callContext, menuItemID: context.parameter("item_id"), adjustment)
                )
            },
        ]
    }
}
