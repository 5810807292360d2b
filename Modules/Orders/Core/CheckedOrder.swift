import Foundation
import InventoryAPI
import OrdersAPI
import PaymentsAPI

/// A `PlaceOrder` request that passed validation, in canonical form.
struct CheckedOrder {
    /// Lines as the customer asked, item ids lower-cased.
    var items: [PlaceOrder.Item]
    var method: PaymentMethod
    var token: String?

    init(_ request: PlaceOrder) throws(OrdersError) {
        guard (1...100).contains(request.items.count) else {
            throw .invalidInput(field: "items", reason: "1 to 100 lines")
        }
        items = []
        for (index, item) in request.items.enumerated() {
            guard let id = UUID(uuidString: item.menuItemID) else {
                throw .invalidInput(field: "items.\(index).menu_item_id", reason: "must be a menu item id")
            }
            guard (1...1000).contains(item.quantity) else {
                throw .invalidInput(field: "items.\(index).quantity", reason: "1 to 1000")
            }
            items.append(PlaceOrder.Item(menuItemID: id.uuidString.lowercased(), quantity: item.quantity))
        }
        guard let method = PaymentMethod(rawValue: request.payment.method) else {
            throw .invalidInput(field: "payment.method", reason: "cash or card")
        }
        self.method = method
        switch method {
        case .card:
            guard let token = request.payment.token, (1...200).contains(token.utf8.count) else {
                throw .invalidInput(field: "payment.token", reason: "a card payment needs the terminal's token")
            }
            self.token = token
        case .cash:
            token = nil
        }
    }

    /// Distinct item ids, in first-seen order.
    var itemIDs: [String] {
        var seen = Set<String>()
        return items.map(\.menuItemID).filter { seen.insert($0).inserted }
    }

    /// What to reserve: one line per item, quantities summed.
    var stockLines: [StockLine] {
        var totals: [String: Int] = [:]
        for item in items { totals[item.menuItemID, default: 0] += item.quantity }
        return itemIDs.map { StockLine(menuItemID: $0, quantity: totals[$0]!) }
    }

    /// Equal for equal requests: how a replayed Idempotency-Key is checked
    /// to carry the same order (the token is left out: it is a secret-ish
    /// terminal value and may be re-issued for the same card).
    var fingerprint: String {
        items.map { "\($0.menuItemID)x\($0.quantity)" }.joined(separator: ",") + "|" + method.rawValue
    }
}
