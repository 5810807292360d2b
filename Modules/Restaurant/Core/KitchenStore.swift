import Foundation
import Postgres
import RestaurantAPI

/// The SQL of `restaurant.kitchen_tickets`. Every method runs on a
/// connection inside a transaction the service opened, scoped to `tenant`
/// (and filters by it as well).
enum KitchenStore {
    /// The open tickets (and the done ones, with `includeDone`), oldest first.
    static func tickets(includeDone: Bool, tenant: String, on db: PostgresConnection) throws -> [KitchenTicketRecord] {
        try db.query(
            """
            SELECT \(sql: KitchenTicketRecord.columns) FROM restaurant.kitchen_tickets
            WHERE tenant_id = \(tenant) AND (status = 'open' OR \(includeDone))
            ORDER BY created_at, id
            """
        ).map(KitchenTicketRecord.init(row:))
    }

    /// Opens the ticket of `orderID`; nil when the order has one already.
    /// The unique (tenant_id, order_id) decides between concurrent calls:
    /// the loser inserts nothing.
    static func insert(
        orderID: String, orderNumber: String, items: [KitchenTicket.Line], tenant: String, on db: PostgresConnection
    ) throws -> KitchenTicketRecord? {
        let items = String(decoding: try encoder.encode(items), as: UTF8.self)
        return try db.query(
            """
            INSERT INTO restaurant.kitchen_tickets (tenant_id, order_id, order_number, items)
            VALUES (\(tenant), \(orderID), \(orderNumber), \(items)::jsonb)
            ON CONFLICT (tenant_id, order_id) DO NOTHING
            RETURNING \(sql: KitchenTicketRecord.columns)
            """
        ).first.map(KitchenTicketRecord.init(row:))
    }

    static func find(orderID: String, tenant: String, on db: PostgresConnection) throws -> KitchenTicketRecord? {
        try db.query(
            """
            SELECT \(sql: KitchenTicketRecord.columns) FROM restaurant.kitchen_tickets
            WHERE tenant_id = \(tenant) AND order_id = \(orderID)
            """
        ).first.map(KitchenTicketRecord.init(row:))
    }

    /// Open → done; nil when no open ticket has that id.
    static func complete(id: UUID, tenant: String, on db: PostgresConnection) throws -> KitchenTicketRecord? {
        try db.query(
            """
            UPDATE restaurant.kitchen_tickets SET status = 'done', done_at = now()
            WHERE tenant_id = \(tenant) AND id = \(id) AND status = 'open'
            RETURNING \(sql: KitchenTicketRecord.columns)
            """
        ).first.map(KitchenTicketRecord.init(row:))
    }

    static func exists(id: UUID, tenant: String, on db: PostgresConnection) throws -> Bool {
        try db.query(
            "SELECT 1 AS one FROM restaurant.kitchen_tickets WHERE tenant_id = \(tenant) AND id = \(id)"
        ).count > 0
    }

    private static let encoder = JSONEncoder()
}
