import Foundation
import InventoryAPI
import OrdersAPI
import Platform
import RestaurantAPI

/// The structured `data` of replies, in the same snake_case shapes the
/// modules' own endpoints use, so a client can render them the same way.
enum ChatData {
    static func menuItem(_ item: MenuItem) -> JSONValue {
        var members: [String: JSONValue] = [
            "id": .string(item.id), "name": .string(item.name), "description": .string(item.description),
            "price_cents": .int(item.priceCents), "currency": .string(item.currency), "available": .bool(item.available),
        ]
        if let category = item.category { members["category"] = .string(category) }
        return .object(members)
    }

    static func order(_ order: Order) -> JSONValue {
        var members: [String: JSONValue] = [
            "id": .string(order.id), "number": .string(order.number), "status": .string(order.status.rawValue),
            "total_cents": .int(order.totalCents), "currency": .string(order.currency),
            "items": .array(
                order.items.map {
                    .object([
                        "menu_item_id": .string($0.menuItemID), "name": .string($0.name),
                        "quantity": .int(Int64($0.quantity)), "unit_price_cents": .int($0.unitPriceCents),
                    ])
                }),
            "created_at": .string(order.createdAt.ISO8601Format()),
        ]
        if let status = order.paymentStatus { members["payment_status"] = .string(status) }
        if let method = order.paymentMethod { members["payment_method"] = .string(method) }
        if let code = order.failureCode { members["failure_code"] = .string(code) }
        return .object(members)
    }

    /// A stock answer for one item; `level` nil means the item is not tracked.
    static func stock(_ item: MenuItem, _ level: StockLevel?) -> JSONValue {
        var members: [String: JSONValue] = [
            "menu_item_id": .string(item.id), "name": .string(item.name), "tracked": .bool(level != nil),
            "available": .bool(item.available),
        ]
        if let level {
            members["quantity"] = .int(Int64(level.quantity))
            members["reserved"] = .int(Int64(level.reserved))
        }
        members["in_stock"] = .bool(item.available && (level?.quantity ?? 1) > 0)
        return .object(members)
    }

    /// Choices as offered (`MenuMatcher.label`): names, priced where two read the same.
    static func labels(_ labels: [String]) -> JSONValue { .array(labels.map(JSONValue.string)) }
}
