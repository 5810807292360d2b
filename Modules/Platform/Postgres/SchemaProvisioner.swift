import Foundation

/// Gives each module its role and schema, as the admin.
///
/// Roles are cluster-wide and schemas per database, and several processes
/// (or parallel test suites on one cluster) may provision at once: role
/// changes retry when they collide, and schema work runs under an advisory
/// lock of the database.
enum SchemaProvisioner {
    /// Role attributes set at creation and again at every start, so a role
    /// somebody widened by hand is narrowed back.
    private static let roleAttributes =
        "LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS NOREPLICATION INHERIT"

    static func provision(
        _ modules: [ModuleSchema], rolePrefix: String, admin: PostgresConnection, rolePassword: (String) -> String
    ) throws {
        for module in modules {
            let role = module.roleName(prefix: rolePrefix)
            try ensureRole(role, password: rolePassword(role), admin: admin)
        }
        try admin.execute("BEGIN")
        do {
            try admin.query("SELECT pg_advisory_xact_lock(hashtextextended('banyan.provision', 0))")
            for module in modules {
                // Identifiers were validated by ModuleSchema.validate(); quoting is belt and braces.
                let schema = "\"\(module.name)\""
                let role = "\"\(module.roleName(prefix: rolePrefix))\""
                try admin.executeScript(
                    """
                    CREATE SCHEMA IF NOT EXISTS \(schema) AUTHORIZATION \(role);
                    ALTER SCHEMA \(schema) OWNER TO \(role);
                    REVOKE ALL ON SCHEMA \(schema) FROM PUBLIC;
                    """)
            }
            try admin.execute("COMMIT")
        } catch {
            _ = try? admin.execute("ROLLBACK")
            throw error
        }
    }

    private static func ensureRole(_ role: String, password: String, admin: PostgresConnection) throws {
        // The verifier is computed here, so the clear password is never in a statement or a server log.
        let verifier = try admin.quotedLiteral(admin.encryptedPassword(password, role: role))
        var attempt = 1
        while true {
            do {
                let exists = try admin.query("SELECT 1 FROM pg_roles WHERE rolname = \(role)").count > 0
                let verb = exists ? "ALTER" : "CREATE"
                try admin.executeScript("\(verb) ROLE \"\(role)\" WITH \(roleAttributes) PASSWORD \(verifier)")
                return
            } catch let error as PostgresError where attempt < 8 && isCollision(error) {
                // Another process created or altered the role at the same moment; look again.
                Thread.sleep(forTimeInterval: Double.random(in: 0.005...0.05))
                attempt += 1
            }
        }
    }

    /// duplicate_object, unique_violation (two CREATE ROLEs), or "tuple
    /// concurrently updated" (XX000, two ALTER ROLEs on one catalog row).
    private static func isCollision(_ error: PostgresError) -> Bool {
        ["42710", "23505", "XX000", "40001"].contains(error.sqlState ?? "")
    }
}
