import Foundation
import Postgres
import RestaurantAPI

/// A `restaurant.kitchen_tickets` row as the API shows it; the lines are
/// stored as jsonb.
struct KitchenTicketRecord {
    var ticket: KitchenTicket

    /// The select list every statement returning a ticket uses.
    static let columns: StaticString =
        "id::text AS id, order_id, order_number, items::text AS items, status, created_at, done_at"

    init(row: PostgresRow) throws {
        let items: [KitchenTicket.Line]
        do {
            items = try Self.decoder.decode([KitchenTicket.Line].self, from: Data(try row.string("items").utf8))
        } catch {
            throw PostgresError(kind: .decoding, message: "restaurant.kitchen_tickets.items is not a list of lines")
        }
        guard let status = KitchenTicket.Status(rawValue: try row.string("status")) else {
            throw PostgresError(kind: .decoding, message: "restaurant.kitchen_tickets.status holds an unknown status")
        }
        ticket = KitchenTicket(
            id: try row.string("id"), orderID: try row.string("order_id"),
            orderNumber: try row.string("order_number"), items: items, status: status,
            createdAt: try row.date("created_at"), doneAt: try row.optionalDate("done_at"))
    }

    private static let decoder = JSONDecoder()
}
