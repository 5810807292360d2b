/// Applies a module's migrations, as the module's own role so it owns what
/// they create.
///
/// Everything runs in one transaction holding an advisory lock keyed on the
/// schema: two processes opening the same database at once take turns, and
/// the second finds the work done. Each applied migration is recorded with
/// the SHA-256 of its SQL (computed by the server, so this target needs no
/// crypto of its own); a recorded migration whose SQL changed is an error.
/// Migration SQL must not contain transaction control (BEGIN/COMMIT).
enum Migrator {
    static func migrate(_ module: ModuleSchema, on connection: PostgresConnection) throws {
        let schema = module.name
        try connection.execute("BEGIN")
        do {
            try connection.query("SELECT pg_advisory_xact_lock(hashtextextended(\("banyan.migrate." + schema), 0))")
            try connection.execute(
                """
                CREATE TABLE IF NOT EXISTS \(identifier: schema).schema_migrations (
                    version bigint PRIMARY KEY,
                    name text NOT NULL,
                    checksum text NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT now())
                """)
            var applied: [Int: String] = [:]
            for row in try connection.query("SELECT version, checksum FROM \(identifier: schema).schema_migrations") {
                applied[try row.int("version")] = try row.string("checksum")
            }
            for migration in module.migrations.sorted(by: { $0.version < $1.version }) {
                let checksum = try connection.query(
                    "SELECT encode(sha256(convert_to(\(migration.sql), 'UTF8')), 'hex') AS checksum"
                ).first!.string("checksum")
                if let recorded = applied[migration.version] {
                    guard recorded == checksum else {
                        throw PostgresError(
                            kind: .migration,
                            message: "migration \(migration.version) (\(migration.name)) of schema \(schema) "
                                + "changed after it was applied; add a new migration instead")
                    }
                    continue
                }
                do {
                    try connection.executeScript(migration.sql)
                } catch let error as PostgresError {
                    var failure = error
                    failure.kind = .migration
                    // Migration SQL has no parameters, so the server's message is safe to show.
                    failure.message =
                        "migration \(migration.version) (\(migration.name)) of schema \(schema) failed: \(error.message)"
                    throw failure
                }
                try connection.execute(
                    """
                    INSERT INTO \(identifier: schema).schema_migrations (version, name, checksum)
                    VALUES (\(migration.version), \(migration.name), \(checksum))
                    """)
            }
            try connection.execute("COMMIT")
        } catch {
            if connection.transactionState != .idle { _ = try? connection.execute("ROLLBACK") }
            throw error
        }
    }

    /// `migrate`, as a process that may not provision runs it (a service,
    /// logged in as its module's role only): the role owns its schema, so it
    /// applies its own pending migrations; a schema nobody provisioned, or
    /// one this role cannot use, is a `.migration` error saying what to run.
    static func migrateProvisioned(_ module: ModuleSchema, on connection: PostgresConnection) throws {
        let schema = module.name
        let runMigrate = "run `banyan migrate` (or start the gateway) first, which provisions it"
        let provisioned = try connection.query("SELECT 1 FROM pg_namespace WHERE nspname = \(schema)").count > 0
        guard provisioned else {
            throw PostgresError(kind: .migration, message: "schema \(schema) is not provisioned: \(runMigrate)")
        }
        do {
            try migrate(module, on: connection)
        } catch let error as PostgresError where error.isPermissionDenied {
            throw PostgresError(
                kind: .migration,
                message: "schema \(schema) is not readable by this role (another deployment's, or a wrong role prefix?): "
                    + runMigrate)
        }
    }
}
