/// A module's share of the database: a schema of the same name, owned by
/// the role `<prefix><name>` (`banyan_payments` with the default prefix),
/// which has no rights on any other module's schema.
///
/// Roles are cluster-wide while schemas live in one database, so two
/// deployments sharing a PostgreSQL cluster (each in its own database) take
/// different prefixes (`BANYAN_DB_ROLE_PREFIX`): `shop1_payments` cannot log
/// in to, or read, what `shop2_payments` owns.
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

    /// The prefix of every module role unless configured otherwise.
    public static let defaultRolePrefix = "banyan_"

    /// The role with the default prefix.
    public var roleName: String { roleName(prefix: ModuleSchema.defaultRolePrefix) }

    /// The role that owns this schema in a deployment using `prefix`.
    public func roleName(prefix: String) -> String { prefix + name }

    /// Throws a `.configuration` error unless `prefix` can start a role name:
    /// a lowercase PostgreSQL identifier (so quoted and unquoted spellings
    /// agree) that does not claim the reserved `pg_` namespace.
    public static func validate(rolePrefix prefix: String) throws {
        guard PostgresIdentifier.isValid(prefix), !prefix.hasPrefix("pg_") else {
            throw PostgresError(
                kind: .configuration,
                message: "role prefix \"\(prefix)\" (BANYAN_DB_ROLE_PREFIX) is not a PostgreSQL identifier: "
                    + "use lowercase letters, digits and _, starting with a letter or _, not pg_")
        }
    }

    /// Same as `RowLevelSecurity.tenantIsolationSQL(table:)`.
    public static func tenantIsolationSQL(table: String) -> String {
        RowLevelSecurity.tenantIsolationSQL(table: table)
    }

    /// Throws a `.migration` error for a bad name or duplicate versions, a
    /// `.configuration` error for a bad prefix or a role name too long.
    func validate(rolePrefix: String = ModuleSchema.defaultRolePrefix) throws {
        guard PostgresIdentifier.isValid(name), !name.hasPrefix("pg_"),
            !["public", "information_schema"].contains(name)
        else {
            throw PostgresError(kind: .migration, message: "invalid module schema name \"\(name)\"")
        }
        try ModuleSchema.validate(rolePrefix: rolePrefix)
        guard PostgresIdentifier.isValid(roleName(prefix: rolePrefix)) else {
            throw PostgresError(
                kind: .configuration,
                message: "role name \(roleName(prefix: rolePrefix)) is longer than PostgreSQL's 63 bytes: shorten the prefix")
        }
        var seen = Set<Int>()
        for migration in migrations where !seen.insert(migration.version).inserted {
            throw PostgresError(
                kind: .migration, message: "schema \(name) has two migrations numbered \(migration.version)")
        }
    }
}
