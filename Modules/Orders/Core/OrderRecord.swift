import Foundation
import InventoryAPI
import OrdersAPI
import PaymentsAPI
import Platform
import Postgres

/// An `orders.orders` row with its lines, including what only the saga needs.
struct OrderRecord {
    var order: Order
    var tenant: String
    var paymentToken: String?
    var paymentID: String?
    var idempotencyKey: String?
    var requestFingerprint: String

    /// The select list every statement returning an order uses.
    static let columns: StaticString = """
        id::text AS id, tenant_id, number, status, total_cents, currency, payment_method, payment_token,
        payment_status, payment_id, failure_code, idempotency_key, request_fingerprint, created_at
        """

    init(row: PostgresRow, lines: [Order.Line]) throws {
        guard let status = Order.Status(rawValue: try row.string("status")) else {
            throw PostgresError(kind: .decoding, message: "orders.orders.status holds an unknown status")
        }
        // A checkout still reserving its stock has no number yet (see OrdersSchema): empty until it has.
        order = Order(
            id: try row.string("id"), number: try row.optionalString("number") ?? "", status: status,
            totalCents: try row.int64("total_cents"), currency: try row.string("currency"), items: lines,
            paymentStatus: try row.optionalString("payment_status"), paymentMethod: try row.string("payment_method"),
            failureCode: try row.optionalString("failure_code"), createdAt: try row.date("created_at"))
        tenant = try row.string("tenant_id")
        paymentToken = try row.optionalString("payment_token")
        paymentID = try row.optionalString("payment_id")
        idempotencyKey = try row.optionalString("idempotency_key")
        requestFingerprint = try row.string("request_fingerprint")
    }

    /// The key every step of this order's saga uses, at Inventory and Payments alike.
    var sagaKey: String { OrderRecord.sagaKey(orderID: order.id) }

    static func sagaKey(orderID: String) -> String { ChargeKeyNamespace.checkoutKey(orderID: orderID) }

    /// What the order holds in stock: one line per item, quantities summed,
    /// as the checkout reserved it (a repeat must ask for the same).
    var stockLines: [StockLine] {
        var totals: [String: Int] = [:]
        var order: [String] = []
        for line in self.order.items {
            if totals[line.menuItemID] == nil { order.append(line.menuItemID) }
            totals[line.menuItemID, default: 0] += line.quantity
        }
        return order.map { StockLine(menuItemID: $0, quantity: totals[$0]!) }
    }
}
