import Platform
import Foundation

/// A member of a restaurant's staff as other modules and clients see them.
/// The password hash never leaves the Auth module.
public struct User: Codable, Sendable, Equatable {
    public var id: String
    public var tenantID: String
    public var username: String
    public var email: String
    public var role: Role
    public var active: Bool
    public var createdAt: Date

    public init(
        id: String, tenantID: String, username: String, email: String, role: Role, active: Bool, createdAt: Date
    ) {
        self.id = id
        self.tenantID = tenantID
        self.username = username
        self.email = email
        self.role = role
        self.active = active
        self.createdAt = createdAt
    }

    enum CodingKeys: String, CodingKey {
        case id, username, email, role, active
        case tenantID = "tenant_id"
        case createdAt = "created_at"
    }
}
