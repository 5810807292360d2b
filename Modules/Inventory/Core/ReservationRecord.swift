import Foundation
import InventoryAPI
import Postgres

/// An `inventory.reservations` row, with what the API does not show: which
/// lines actually hold stock. An item that was untracked when reserved was
/// never held, so committing or releasing must not touch it even if it is
/// tracked by then.
struct ReservationRecord {
    /// One stored line (jsonb element).
    struct Line: Codable, Equatable {
        var menuItemID: String
        var quantity: Int
        var held: Bool

        enum CodingKeys: String, CodingKey {
            case quantity, held
            case menuItemID = "menu_item_id"
        }
    }

    var key: String
    var status: Reservation.Status
    var lines: [Line]
    var createdAt: Date

    /// The select list every statement returning a reservation uses.
    static let columns: StaticString = "key, status, lines::text AS lines, created_at"

    init(row: PostgresRow) throws {
        guard let status = Reservation.Status(rawValue: try row.string("status")) else {
            throw PostgresError(kind: .decoding, message: "inventory.reservations.status holds an unknown status")
        }
        do {
            lines = try Self.decoder.decode([Line].self, from: Data(try row.string("lines").utf8))
        } catch {
            throw PostgresError(kind: .decoding, message: "inventory.reservations.lines is not a list of lines")
        }
        key = try row.string("key")
        self.status = status
        createdAt = try row.date("created_at")
    }

    var reservation: Reservation {
        Reservation(
            key: key, status: status,
            lines: lines.map { StockLine(menuItemID: $0.menuItemID, quantity: $0.quantity) }, createdAt: createdAt)
    }

    /// The held lines as item quantities, in id order (the locking order).
    func heldItems() throws -> [ItemQuantity] {
        try lines.filter(\.held).map { line in
            guard let id = UUID(uuidString: line.menuItemID) else {
                throw PostgresError(kind: .decoding, message: "inventory.reservations.lines holds a bad item id")
            }
            return ItemQuantity(id: id, quantity: line.quantity)
        }.sorted { $0.itemID < $1.itemID }
    }

    /// Whether `items` (merged, sorted) asks for exactly what this reservation holds.
    func hasSameLines(as items: [ItemQuantity]) -> Bool {
        lines.count == items.count
            && zip(lines, items).allSatisfy { $0.menuItemID == $1.itemID && $0.quantity == $1.quantity }
    }

    private static let decoder = JSONDecoder()
}
