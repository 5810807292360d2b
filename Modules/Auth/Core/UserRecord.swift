import AuthAPI
import Platform
import Postgres

/// An `auth.users` row, including what never leaves the module.
struct UserRecord {
    var user: User
    var passwordHash: String

    /// The select list every statement returning a user uses.
    static let columns: StaticString =
        "id::text AS id, tenant_id, username, email, role, active, created_at, password_hash"

    init(row: PostgresRow) throws {
        guard let role = Role(rawValue: try row.string("role")) else {
            throw PostgresError(kind: .decoding, message: "auth.users.role holds an unknown role")
        }
        user = User(
            id: try row.string("id"), tenantID: try row.string("tenant_id"),
            username: try row.string("username"), email: try row.string("email"), role: role,
            active: try row.bool("active"), createdAt: try row.date("created_at"))
        passwordHash = try row.string("password_hash")
    }
}
