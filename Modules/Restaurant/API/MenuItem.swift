import Foundation
import Platform

/// Something a restaurant sells, with its current price.
public struct MenuItem: Codable, Sendable, Equatable {
    public var id: String
    public var name: String
    public var description: String
    public var priceCents: Int64
    public var currency: String
    public var category: String?
    public var available: Bool
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        id: String, name: String, description: String, priceCents: Int64, currency: String, category: String?,
        available: Bool, createdAt: Date, updatedAt: Date
    ) {
        self.id = id
        self.name = name
        self.description = description
        self.priceCents = priceCents
        self.currency = currency
        self.category = category
        self.available = available
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    enum CodingKeys: String, CodingKey {
        case id, name, description, currency, category, available
        case priceCents = "price_cents"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }
}
