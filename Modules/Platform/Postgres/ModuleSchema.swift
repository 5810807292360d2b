/// A module's share of the database: a schema of the same name, owned by
/// the role `banyan_<name>`, which has no rights on any other module's schema.
///
///     ModuleSchema(name: "payments", migrations: [
///         Migration(version: 1, name: "charges", sql: """
///             CREATE TABLE charges (id uuid PRIMARY KEY, tenant_id text NOT NULL, amount bigint NOT NULL);
///             \(ModuleSchema.tenantIsolationSQL(table: "charges"))
///             """),
///     ])
public struct ModuleSchema: Sendable {
    /// `[a-z_][a-z0-9_]*`; checked when the database opens.
    public let name: String
    public let migrations: [Migration]

    public init(name: String, migrations: [Migration]) {
        self.name = name
        self.migrations = migrations
    }

    public var roleName: String { "banyan_" + name }

    /// Same as `RowLevelSecurity.tenantIsolationSQL(table:)`.
    public static func tenantIsolationSQL(table: String) -> String {
        RowLevelSecurity.tenantIsolationSQL(table: table)
    }

    /// Throws a `.migration` error for a bad name or duplicate versions.
    func validate() throws {
        guard PostgresIdentifier.isValid(roleName), !name.hasPrefix("pg_"),
            !["public", "information_schema"].contains(name)
        else {
            throw PostgresError(kind: .migration, message: "invalid module schema name \"\(name)\"")
        }
        var seen = Set<Int>()
        for migration in migrations where !seen.insert(migration.version).inserted {
            throw PostgresError(
                kind: .migration, message: "schema \(name) has two migrations numbered \(migration.version)")
        }
    }
}
