import Foundation
import Postgres
import RestaurantAPI

/// Reading and writing `restaurant.kitchen_tickets` rows; the lines travel as jsonb.
enum KitchenTicketRow {
    static let columns: StaticString =
        "id::text AS id, order_id, order_number, items::text AS items, status, created_at, done_at"

    private static let encoder = JSONEncoder()
    private static let decoder = JSONDecoder()

    static func itemsJSON(_ items: [KitchenTicket.Line]) throws -> String {
        String(decoding: try encoder.encode(items), as: UTF8.self)
    }

    static func ticket(_ row: PostgresRow) throws -> KitchenTicket {
        let items: [KitchenTicket.Line]
        do {
            items = try decoder.decode([KitchenTicket.Line].self, from: Data(try row.string("items").utf8))
        } catch {
            throw PostgresError(kind: .decoding, message: "restaurant.kitchen_tickets.items is not a list of lines")
        }
        guard let status = KitchenTicket.Status(rawValue: try row.string("status")) else {
            throw PostgresError(kind: .decoding, message: "restaurant.kitchen_tickets.status holds an unknown status")
        }
        return KitchenTicket(
            id: try row.string("id"), orderID: try row.string("order_id"),
            orderNumber: try row.string("order_number"), items: items, status: status,
            createdAt: try row.date("created_at"), doneAt: try row.optionalDate("done_at"))
    }
}
