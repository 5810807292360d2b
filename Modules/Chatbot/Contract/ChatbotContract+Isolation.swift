import ChatbotAPI
import Contract
import OrdersAPI
import Platform

extension ChatbotContract {
    static let isolation: [Case] = [
        Case("another tenant's chat never sees a tenant's menu or orders, nor orders from its menu") { provider, env in
            let soup = try stocked(provider, env, "Soup", stock: 3)
            let placed = try ask(provider, env.cashier, "order a soup", intent: "place_order")
            let number = try Expect.some(text(placed.data, "order", "number"), "the order number in the reply")
            let other = env.otherTenantContext(.manager)

            let menu = try ask(provider, other, "show the menu", intent: "menu")
            try Expect.equal(names(menu.data, "items"), [], "the other tenant's menu")
            let status = try ask(provider, other, "status of order \(number)", intent: "order_status")
            try Expect.equal(text(status.data, "code"), "order_not_found", "the order from the other tenant")
            let cancel = try ask(provider, other, "cancel order \(number)", intent: "cancel_order")
            try Expect.equal(text(cancel.data, "code"), "order_not_found", "a cancel from the other tenant")
            let order = try ask(provider, other, "order a soup", intent: "place_order")
            try Expect.none(member(order.data, "order"), "an order of this tenant's soup from the other")

            try Expect.equal(try orderCount(provider, other), 0, "the other tenant's orders")
            try Expect.equal(
                try provider.orders.order(env.cashier, number: number).status, .completed, "the order afterwards")
            try Expect.equal(try onHand(provider, env, soup), 2, "soup on hand afterwards")
        },
    ]
}
