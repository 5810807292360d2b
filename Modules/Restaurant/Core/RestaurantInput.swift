import Foundation
import Platform
import RestaurantAPI

/// The input rules of the Restaurant module, in one place so create and
/// update cannot drift apart. Each check answers `invalidInput` naming the field.
enum RestaurantInput {
    static let nameLength = 1...200
    static let descriptionLimit = 2000
    static let categoryLimit = 100
    static let addressLimit = 500
    static let phoneLimit = 50
    static let priceRange: ClosedRange<Int64> = 0...100_000_000

    /// Trimmed, 1…200 characters, one line.
    static func name(_ value: String, field: String = "name") throws -> String {
        let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
        guard nameLength.contains(trimmed.count) else {
            throw RestaurantError.invalidInput(field: field, reason: "1 to 200 characters")
        }
        try singleLine(trimmed, field: field)
        return trimmed
    }

    /// Up to 2,000 characters; line breaks allowed.
    static func description(_ value: String) throws -> String {
        let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
        guard trimmed.count <= descriptionLimit else {
            throw RestaurantError.invalidInput(field: "description", reason: "at most 2000 characters")
        }
        // PostgreSQL text cannot hold NUL; other control characters have no place in a menu either.
        let allowed: Set<Unicode.Scalar> = ["\n", "\r", "\t"]
        guard
            !trimmed.unicodeScalars.contains(where: {
                $0.properties.generalCategory == .control && !allowed.contains($0)
            })
        else {
            throw RestaurantError.invalidInput(field: "description", reason: "must not contain control characters")
        }
        return trimmed
    }

    /// Trimmed; empty means "no category" (nil).
    static func category(_ value: String) throws -> String? {
        try optionalLine(value, field: "category", limit: categoryLimit)
    }

    static func address(_ value: String) throws -> String? {
        try optionalLine(value, field: "address", limit: addressLimit)
    }

    static func phone(_ value: String) throws -> String? {
        try optionalLine(value, field: "phone", limit: phoneLimit)
    }

    static func price(_ cents: Int64) throws -> Int64 {
        guard priceRange.contains(cents) else {
            throw RestaurantError.invalidInput(field: "price_cents", reason: "0 to 100000000 cents")
        }
        return cents
    }

    static func currency(_ code: String) throws -> String {
        guard Money.isValidCurrency(code) else {
            throw RestaurantError.invalidInput(field: "currency", reason: "an ISO 4217 code such as USD")
        }
        return code
    }

    /// A trimmed single line of at most `limit` characters, nil when empty.
    private static func optionalLine(_ value: String, field: String, limit: Int) throws -> String? {
        let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
        guard trimmed.count <= limit else {
            throw RestaurantError.invalidInput(field: field, reason: "at most \(limit) characters")
        }
        try singleLine(trimmed, field: field)
        return trimmed.isEmpty ? nil : trimmed
    }

    private static func singleLine(_ value: String, field: String) throws {
        guard !value.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw RestaurantError.invalidInput(field: field, reason: "must not contain control characters")
        }
    }
}
