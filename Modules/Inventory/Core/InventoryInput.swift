import Foundation
import InventoryAPI

/// The input rules of the Inventory module. Each check answers
/// `invalidInput` naming the field.
enum InventoryInput {
    static let lineQuantity = 1...1000
    static let linesPerReservation = 1...100
    static let stockRange = 0...1_000_000
    static let keyLength = 1...200
    static let reasonLength = 1...200

    static func itemID(_ value: String, field: String = "menu_item_id") throws -> UUID {
        guard let id = UUID(uuidString: value) else {
            throw InventoryError.invalidInput(field: field, reason: "must be a UUID")
        }
        return id
    }

    /// 1…100 lines of 1…1000 each, merged per item and sorted by id.
    static func lines(_ lines: [StockLine]) throws -> [ItemQuantity] {
        guard linesPerReservation.contains(lines.count) else {
            throw InventoryError.invalidInput(field: "lines", reason: "1 to 100 lines")
        }
        var checked: [ItemQuantity] = []
        checked.reserveCapacity(lines.count)
        for (index, line) in lines.enumerated() {
            let id = try itemID(line.menuItemID, field: "lines.\(index).menu_item_id")
            guard lineQuantity.contains(line.quantity) else {
                throw InventoryError.invalidInput(field: "lines.\(index).quantity", reason: "1 to 1000")
            }
            checked.append(ItemQuantity(id: id, quantity: line.quantity))
        }
        return ItemQuantity.merged(checked)
    }

    static func key(_ value: String) throws -> String {
        try line(value, field: "key", length: keyLength)
    }

    static func reason(_ value: String) throws -> String {
        try line(value.trimmingCharacters(in: .whitespacesAndNewlines), field: "reason", length: reasonLength)
    }

    static func quantity(_ value: Int, field: String) throws -> Int {
        guard stockRange.contains(value) else {
            throw InventoryError.invalidInput(field: field, reason: "0 to 1000000")
        }
        return value
    }

    static func delta(_ value: Int) throws -> Int {
        guard value != 0, (-stockRange.upperBound...stockRange.upperBound).contains(value) else {
            throw InventoryError.invalidInput(
                field: "delta", reason: "a non-zero whole number from -1000000 to 1000000")
        }
        return value
    }

    /// Keys are compared exactly, so they are not trimmed; they must still be one printable line.
    private static func line(_ value: String, field: String, length: ClosedRange<Int>) throws -> String {
        guard length.contains(value.count),
            !value.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
        else {
            throw InventoryError.invalidInput(
                field: field, reason: "\(length.lowerBound) to \(length.upperBound) characters on one line")
        }
        return value
    }
}
