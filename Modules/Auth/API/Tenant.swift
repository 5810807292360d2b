import Foundation

/// A restaurant using Banyan.
public struct Tenant: Codable, Sendable, Equatable {
    public var id: String
    public var name: String
    public var createdAt: Date

    public init(id: String, name: String, createdAt: Date) {
        self.id = id
        self.name = name
        self.createdAt = createdAt
    }

    enum CodingKeys: String, CodingKey {
        case id = "tenant_id"
        case name
        case createdAt = "created_at"
    }
}
