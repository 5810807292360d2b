import Foundation
import Platform
import Postgres
import RestaurantAPI

/// Kitchen tickets: opened once per order (by the `OrderPlaced` subscriber), closed by staff.
extension RestaurantService {
    public func kitchenTickets(_ context: CallContext, includeDone: Bool) throws -> [KitchenTicket] {
        try context.require(.cashier)
        let tenant = context.tenant.value
        return try pool.transaction(tenant: tenant) { db in
            try db.query(
                """
                SELECT \(sql: KitchenTicketRow.columns) FROM restaurant.kitchen_tickets
                WHERE tenant_id = \(tenant) AND (status = 'open' OR \(includeDone))
                ORDER BY created_at, id
                """
            ).map(KitchenTicketRow.ticket)
        }
    }

    public func openKitchenTicket(_ context: CallContext, _ ticket: NewKitchenTicket) throws -> KitchenTicket {
        try context.require(.cashier)
        let orderID = try Self.ticketText(ticket.orderID, field: "order_id", limit: 100)
        let orderNumber = try Self.ticketText(ticket.orderNumber, field: "order_number", limit: 50)
        // Generous bounds: the caller is an event subscriber, and a refused
        // ticket would park an order's event for good.
        guard (1...1000).contains(ticket.items.count) else {
            throw RestaurantError.invalidInput(field: "items", reason: "1 to 1000 lines")
        }
        var lines: [KitchenTicket.Line] = []
        for (index, line) in ticket.items.enumerated() {
            let name = try RestaurantInput.name(line.name, field: "items.\(index).name")
            guard (1...1_000_000).contains(line.quantity) else {
                throw RestaurantError.invalidInput(field: "items.\(index).quantity", reason: "1 to 1000000")
            }
            lines.append(KitchenTicket.Line(name: name, quantity: line.quantity))
        }
        let items = try KitchenTicketRow.itemsJSON(lines)
        let tenant = context.tenant.value
        return try pool.transaction(tenant: tenant) { db in
            // The unique (tenant_id, order_id) decides between concurrent calls:
            // the loser inserts nothing and reads the winner's ticket.
            if let row = try db.query(
                """
                INSERT INTO restaurant.kitchen_tickets (tenant_id, order_id, order_number, items)
                VALUES (\(tenant), \(orderID), \(orderNumber), \(items)::jsonb)
                ON CONFLICT (tenant_id, order_id) DO NOTHING
                RETURNING \(sql: KitchenTicketRow.columns)
                """
            ).first {
                return try KitchenTicketRow.ticket(row)
            }
            return try KitchenTicketRow.ticket(
                db.query(
                    """
                    SELECT \(sql: KitchenTicketRow.columns) FROM restaurant.kitchen_tickets
                    WHERE tenant_id = \(tenant) AND order_id = \(orderID)
                    """
                ).first!)
        }
    }

    public func completeKitchenTicket(_ context: CallContext, id: String) throws -> KitchenTicket {
        try context.require(.cashier)
        guard let uuid = UUID(uuidString: id) else { throw RestaurantError.ticketNotFound }
        let tenant = context.tenant.value
        return try pool.transaction(tenant: tenant) { db in
            if let row = try db.query(
                """
                UPDATE restaurant.kitchen_tickets SET status = 'done', done_at = now()
                WHERE tenant_id = \(tenant) AND id = \(uuid) AND status = 'open'
                RETURNING \(sql: KitchenTicketRow.columns)
                """
            ).first {
                return try KitchenTicketRow.ticket(row)
            }
            // Nothing changed: tell a ticket already done from one that does not exist.
            let exists =
                try db.query(
                    "SELECT 1 AS one FROM restaurant.kitchen_tickets WHERE tenant_id = \(tenant) AND id = \(uuid)"
                ).count > 0
            throw exists ? RestaurantError.ticketAlreadyDone : RestaurantError.ticketNotFound
        }
    }

    /// Trimmed, non-empty, one line, at most `limit` characters.
    private static func ticketText(_ value: String, field: String, limit: Int) throws -> String {
        let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...limit).contains(trimmed.count),
            !trimmed.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
        else {
            throw RestaurantError.invalidInput(field: field, reason: "1 to \(limit) characters on one line")
        }
        return trimmed
    }
}
