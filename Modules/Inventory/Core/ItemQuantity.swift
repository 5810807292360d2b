import Foundation

/// A validated quantity of one menu item. Lists of them are merged per item
/// and sorted by id, which is also the order stock rows are locked in.
struct ItemQuantity: Equatable, Sendable {
    let id: UUID
    let quantity: Int

    /// The canonical spelling, as PostgreSQL prints a uuid: lower-case.
    var itemID: String { ItemQuantity.canonical(id) }

    static func canonical(_ id: UUID) -> String { id.uuidString.lowercased() }

    /// One entry per item, quantities summed, ordered by id.
    static func merged(_ lines: [ItemQuantity]) -> [ItemQuantity] {
        var totals: [UUID: Int] = [:]
        for line in lines { totals[line.id, default: 0] += line.quantity }
        return totals.map { ItemQuantity(id: $0.key, quantity: $0.value) }.sorted { $0.itemID < $1.itemID }
    }
}
