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
        let group = RouteGroup(
            "/api/v1/inventory", access: .user,
            problems: PipelineProblems.routedCall(to: "inventory"))
        let notUUID = InventoryError.invalidInput(field: "item_id", reason: "must be a UUID")
        return [
            group.get(summary: "Stock of every tracked item") { context in
                try inventory.stockLevels(context.callContext)
            },
            group.get("/{item_id}", summary: "One item's stock", problems: [stockNotTracked, notUUID]) { context in
                guard
                    let level = try inventory.stockLevel(context.callContext, menuItemID: context.parameter("item_id"))
                else { throw stockNotTracked }
                return level
            },
            group.put(
                "/{item_id}", summary: "Set an item's stock (manager+)", body: SetStock.self,
                problems: [InventoryError.insufficientStock]
            ) { context, request in
                try inventory.setStock(context.callContext, menuItemID: context.parameter("item_id"), request)
            },
            group.post(
                "/{item_id}/adjust", summary: "A delivery (+) or waste (-), never below zero (manager+)",
                body: StockAdjustment.self, problems: [InventoryError.insufficientStock]
            ) { context, adjustment in
                try inventory.adjustStock(context.callContext, menuItemID: context.parameter("item_id"), adjustment)
            },
        ]
    }
}
