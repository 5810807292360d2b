import Foundation
import Platform
import Postgres
import RestaurantAPI

/// Kitchen tickets: opened once per order (by the `OrderPlaced` subscriber), closed by staff.
extension RestaurantService {
    package func kitchenTickets(_ context: CallContext, includeDone: Bool) throws -> [KitchenTicket] {
        try context.require(.cashier)
        let tenant = context.tenant.value
        return try pool.autocommit(tenant: tenant) {
            try KitchenStore.tickets(includeDone: includeDone, tenant: tenant, on: $0).map(\.ticket)
        }
    }

    package func openKitchenTicket(_ context: CallContext, _ ticket: NewKitchenTicket) throws -> KitchenTicket {
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
        let tenant = context.tenant.value
        // The ticket is one statement; the read after it only explains a conflict.
        return try pool.autocommit(tenant: tenant) { db in
            if let opened = try KitchenStore.insert(
                orderID: orderID, orderNumber: orderNumber, items: lines, tenant: tenant, on: db)
            {
                return opened.ticket
            }
            // The order has its ticket already: a repeat, or a concurrent call that won.
            return try KitchenStore.find(orderID: orderID, tenant: tenant, on: db)!.ticket
        }
    }

    package func completeKitchenTicket(_ context: CallContext, id: String) throws -> KitchenTicket {
        try context.require(.cashier)
        guard let uuid = UUID(uuidString: id) else { throw RestaurantError.ticketNotFound }
        let tenant = context.tenant.value
        return try pool.transaction(tenant: tenant) { db in
            if let done = try KitchenStore.complete(id: uuid, tenant: tenant, on: db) {
                return done.ticket
            }
            // Nothing changed: tell a ticket already done from one that does not exist.
            let exists = try KitchenStore.exists(id: uuid, tenant: tenant, on: db)
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
