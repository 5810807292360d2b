/// One versioned step of a module's schema, applied once and recorded in
/// `<schema>.schema_migrations` with a checksum of its SQL.
///
/// Never edit an applied migration: opening the database then fails with a
/// `.migration` error. Add a new version instead.
public struct Migration: Sendable {
    public let version: Int
    public let name: String
    /// One or more statements; runs as the module's role, inside the migration transaction.
    public let sql: String

    public init(version: Int, name: String, sql: String) {
        self.version = version
        self.name = name
        self.sql = sql
    }
}
