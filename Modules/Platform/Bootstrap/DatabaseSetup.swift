import Platform
import Postgres
import Security

/// How a Banyan process reaches PostgreSQL: `DATABASE_URL`, else the
/// embedded cluster under `.banyan/pg`. Each module's role password is
/// derived from one secret (`BANYAN_DB_SECRET`, else generated into
/// `.banyan/db-secret`) so the gateway and every service on this machine
/// compute the same passwords without storing one per role.
///
/// Role names start with `BANYAN_DB_ROLE_PREFIX` (default `banyan_`), so two
/// deployments can share one cluster, each in its own database.
public enum DatabaseSetup {
    /// The gateway's (and `banyan migrate`'s): the admin login of `DATABASE_URL`
    /// or the embedded superuser, and every module role's derived password.
    public static func options() throws -> Database.Options {
        let secret = try SecretStore.loadOrCreate(environment: "BANYAN_DB_SECRET", file: "db-secret")
        return try common(rolePassword: rolePassword(secret: secret))
    }

    /// A service's, for `Database.connect(module:options:)`: it logs in as
    /// `module`'s role only. The password is `BANYAN_DB_PASSWORD` (what
    /// `banyan db-password <module>` prints) or, on a machine sharing the
    /// gateway's state directory, derived from the same db secret. The user
    /// and password of `DATABASE_URL` are not used.
    public static func serviceOptions(module: ModuleSchema) throws -> Database.Options {
        let password: @Sendable (String) -> String
        if let given = Configuration.value("BANYAN_DB_PASSWORD"), !given.isEmpty {
            password = { _ in given }
        } else if let secret = try SecretStore.load(environment: "BANYAN_DB_SECRET", file: "db-secret") {
            password = rolePassword(secret: secret)
        } else {
            // In a cluster the state directory's db-secret is not read: only the variables are shared.
            throw SetupError(
                "no password for the \(module.name) role: set BANYAN_DB_PASSWORD (`banyan db-password \(module.name)` "
                    + "prints it), or BANYAN_DB_SECRET"
                    + (ClusterMode.isEnabled ? "" : ", or run `banyan migrate` first with this BANYAN_HOME"))
        }
        return try common(rolePassword: password)
    }

    /// The password of `module`'s role, as the gateway sets it: what an
    /// operator hands a service on another machine as `BANYAN_DB_PASSWORD`.
    public static func password(module: ModuleSchema) throws -> String {
        let options = try options()
        try ModuleSchema.validate(rolePrefix: options.rolePrefix)
        return options.rolePassword(module.roleName(prefix: options.rolePrefix))
    }

    /// Role name → its password under `secret`.
    public static func rolePassword(secret: [UInt8]) -> @Sendable (String) -> String {
        { role in Hex.encode(Digest.hmacSHA256(key: secret, data: Array("postgres-role:\(role)".utf8))) }
    }

    private static func common(rolePassword: @escaping @Sendable (String) -> String) throws -> Database.Options {
        var options = Database.Options(rolePassword: rolePassword)
        if let url = Configuration.value("DATABASE_URL"), !url.isEmpty {
            options.databaseURL = url
        } else if ClusterMode.isEnabled {
            // An embedded cluster per instance is not one database.
            throw MissingSharedSettings(names: ["DATABASE_URL"])
        } else {
            // The embedded cluster lives in the state directory: it must be private.
            options.embeddedDirectory = try StateDirectory.file("pg")
        }
        options.poolSize = Configuration.int("BANYAN_DB_POOL_SIZE", default: options.poolSize)
        if let prefix = Configuration.value("BANYAN_DB_ROLE_PREFIX"), !prefix.isEmpty {
            options.rolePrefix = prefix
        }
        return options
    }

    /// A setting missing or wrong at start; the description is the operator message.
    public struct SetupError: Error, Sendable, CustomStringConvertible {
        public let description: String
        init(_ description: String) { self.description = description }
    }
}
