import Events
import OrdersAPI
import Platform
import RestaurantAPI

/// The kitchen reacts to sales: each `OrderPlaced` opens a ticket. Wired
/// here, in the composition root, so Restaurant and Orders never know each other.
enum KitchenSubscriptions {
    static func subscribe(_ events: EventDispatcher, restaurant: any RestaurantFacade) {
        events.subscribe(OrderPlaced.self, name: "kitchen-tickets") { placed, metadata in
            let context = CallContext.system(
                tenant: metadata.tenant, component: "kitchen", requestID: "event-\(metadata.module)-\(metadata.id)")
            // Idempotent by order id: a redelivery returns the ticket already open.
            _ = try restaurant.openKitchenTicket(
                context,
                NewKitchenTicket(
                    orderID: placed.orderID, orderNumber: placed.number,
                    items: placed.items.map { KitchenTicket.Line(name: $0.name, quantity: $0.quantity) }))
        }
    }
}
