import Foundation
import Platform
import Synchronization

/// Connects Banyan to its database: `DATABASE_URL` when given, otherwise the
/// embedded cluster under `.banyan/pg`.
///
/// `open` (the gateway, `banyan migrate`) logs in as the admin, provisions
/// every module (role `<prefix><name>`, schema `<name>` owned by it, closed
/// to everyone else), runs its migrations as that role, and gives it a pool
/// logged in as that role with `search_path` set to its schema. A module's
/// pool therefore cannot read another module's tables: the database enforces
/// the module boundary, not just the code.
///
///     let database = try Database.open(modules: [Payments.schema], options: .init(rolePassword: derive))
///     let payments = database.pool(for: "payments")
///     defer { database.shutdown() }
///
/// The admin connection (`DATABASE_URL`, or the embedded superuser) must be
/// allowed to create roles and schemas: a superuser.
///
/// `connect` (an extracted service) logs in as one module's role and nothing
/// else: no admin credentials, no provisioning, no migration. It only checks
/// that the schema is migrated as far as this binary needs.
public final class Database: Sendable {
    public struct Options: Sendable {
        /// A libpq connection string or `postgresql://` URL; nil (or empty) means the embedded cluster.
        public var databaseURL: String?
        /// Where the embedded cluster lives (see `EmbeddedPostgres`).
        public var embeddedDirectory: String
        /// Role name → its password. The gateway derives it from a secret with
        /// an HMAC, which keeps this target free of crypto.
        public var rolePassword: @Sendable (String) -> String
        /// Connections per module pool.
        public var poolSize: Int
        /// Seconds a caller waits for a free connection before a pool-timeout error.
        public var poolWaitTimeout: Double
        /// Starts every module role's name (`banyan_` → `banyan_payments`), so
        /// deployments sharing one cluster keep apart. Checked when the database
        /// opens (`ModuleSchema.validate(rolePrefix:)`).
        public var rolePrefix: String

        /// - Parameter databaseURL: defaults to `DATABASE_URL` from the environment or `.env`.
        public init(
            databaseURL: String? = Configuration.value("DATABASE_URL"),
            embeddedDirectory: String = StateDirectory.path + "/pg",
            rolePassword: @escaping @Sendable (String) -> String,
            poolSize: Int = 10,
            poolWaitTimeout: Double = 5,
            rolePrefix: String = ModuleSchema.defaultRolePrefix
        ) {
            self.databaseURL = databaseURL
            self.embeddedDirectory = embeddedDirectory
            self.rolePassword = rolePassword
            self.poolSize = poolSize
            self.poolWaitTimeout = poolWaitTimeout
            self.rolePrefix = rolePrefix
        }
    }

    /// The superuser/admin connection string (tests and tools). Holds a password: never log it.
    ///
    /// - Precondition: opened with `open`; a `connect`ed database has no admin login and traps.
    public var adminConnectionInfo: String {
        guard let admin else { preconditionFailure("a Database from connect(module:) has no admin login") }
        return admin.conninfo
    }

    private let admin: (conninfo: String, pool: PostgresPool)?
    private let pools: [String: PostgresPool]
    private let moduleNames: [String]
    private let embedded: EmbeddedPostgres?
    private let isShutDown = Atomic<Bool>(false)

    private init(
        adminConnectionInfo: String?, pools: [String: PostgresPool], moduleNames: [String],
        embedded: EmbeddedPostgres?
    ) {
        admin = adminConnectionInfo.map { ($0, PostgresPool(conninfo: $0, size: 1, waitTimeout: 2)) }
        self.pools = pools
        self.moduleNames = moduleNames
        self.embedded = embedded
    }

    /// Starts (or finds) the database, provisions each module, applies
    /// pending migrations and opens one pool per module.
    ///
    /// Safe to call from several processes at once against one database.
    /// Throws `PostgresError` (`.cluster`, `.connectionFailed`, `.migration`, `.server`).
    public static func open(modules: [ModuleSchema], options: Options) throws -> Database {
        for module in modules { try module.validate(rolePrefix: options.rolePrefix) }
        guard Set(modules.map(\.name)).count == modules.count else {
            throw PostgresError(kind: .migration, message: "a module schema is listed twice")
        }
        var embedded: EmbeddedPostgres?
        var pools: [String: PostgresPool] = [:]
        do {
            let adminInfo: String
            if let url = options.databaseURL, !url.isEmpty {
                adminInfo = url
            } else {
                let cluster = try EmbeddedPostgres.acquire(directory: options.embeddedDirectory)
                embedded = cluster
                try cluster.ensureDatabase("banyan")
                adminInfo = cluster.conninfo(database: "banyan")
            }
            let admin = try PostgresConnection(conninfo: adminInfo)
            defer { admin.close() }
            try SchemaProvisioner.provision(
                modules, rolePrefix: options.rolePrefix, admin: admin, rolePassword: options.rolePassword)

            let base = try ConnectionInfo(parsing: adminInfo)
            for module in modules {
                pools[module.name] = PostgresPool(
                    conninfo: login(module, base: base, options: options).conninfo, size: options.poolSize,
                    waitTimeout: options.poolWaitTimeout)
            }
            for module in modules {
                try pools[module.name]!.withConnection { try Migrator.migrate(module, on: $0) }
            }
            return Database(
                adminConnectionInfo: adminInfo, pools: pools, moduleNames: modules.map(\.name), embedded: embedded)
        } catch {
            for pool in pools.values { pool.close() }
            embedded?.release()
            throw error
        }
    }

    /// Opens `module`'s pool logged in as its role only: a service's way in.
    ///
    /// Nothing is provisioned — the gateway or `banyan migrate` create the
    /// role and its schema, with the admin login — and no admin credentials
    /// are needed: the user and password of `options.databaseURL` are ignored
    /// and replaced by the role's name and `options.rolePassword(role)`; host,
    /// port, database and TLS settings are kept. The role owns its schema, so
    /// it applies this binary's pending migrations of that schema, and only
    /// that one (a new service version brings its schema forward itself).
    /// Without a URL the embedded cluster is started if needed (a process, not
    /// a login) and its `banyan` database is used. Fails at once, with a
    /// message saying to run `banyan migrate`, when the role cannot log in or
    /// its schema was never provisioned.
    ///
    /// Throws `PostgresError` (`.configuration`, `.cluster`, `.connectionFailed`, `.migration`).
    public static func connect(module: ModuleSchema, options: Options) throws -> Database {
        try module.validate(rolePrefix: options.rolePrefix)
        let role = module.roleName(prefix: options.rolePrefix)
        var embedded: EmbeddedPostgres?
        var pool: PostgresPool?
        do {
            var base: ConnectionInfo
            if let url = options.databaseURL, !url.isEmpty {
                base = try ConnectionInfo(parsing: url)
            } else {
                let cluster = try EmbeddedPostgres.acquire(directory: options.embeddedDirectory)
                embedded = cluster
                base = try ConnectionInfo(parsing: cluster.conninfo(database: "banyan"))
            }
            // Never the URL's own login: a service holds its role's password only.
            base["user"] = nil
            base["password"] = nil
            base["passfile"] = nil
            let conninfo = login(module, base: base, options: options).conninfo
            let connection: PostgresConnection
            do {
                connection = try PostgresConnection(conninfo: conninfo)
            } catch let error as PostgresError where error.isConnectionFailure {
                throw PostgresError(
                    kind: .connectionFailed,
                    message: "cannot log in as role \(role): \(error.message.trimmingCharacters(in: .whitespacesAndNewlines)) "
                        + "(run `banyan migrate` first, which creates the role; the password comes from "
                        + "BANYAN_DB_PASSWORD, see `banyan db-password \(module.name)`, or the shared db secret)")
            }
            defer { connection.close() }
            try Migrator.migrateProvisioned(module, on: connection)
            let opened = PostgresPool(conninfo: conninfo, size: options.poolSize, waitTimeout: options.poolWaitTimeout)
            pool = opened
            return Database(
                adminConnectionInfo: nil, pools: [module.name: opened], moduleNames: [module.name], embedded: embedded)
        } catch {
            pool?.close()
            embedded?.release()
            throw error
        }
    }

    /// `base` (server, database, TLS) logged in as `module`'s role with its
    /// schema as the search path.
    private static func login(_ module: ModuleSchema, base: ConnectionInfo, options: Options) -> ConnectionInfo {
        let role = module.roleName(prefix: options.rolePrefix)
        var login = base
        login["user"] = role
        login["password"] = options.rolePassword(role)
        // Module queries are short key lookups whose best plan does not
        // depend on the values bound: plan each prepared statement once
        // (array binds would otherwise be re-planned on every run).
        login["options"] = [
            base["options"], "-c search_path=\(module.name)", "-c plan_cache_mode=force_generic_plan",
        ].compactMap { $0 }.joined(separator: " ")
        login["application_name"] = "banyan-\(module.name)"
        return login
    }

    /// The pool of `module`, logged in as its role. A name that was not
    /// opened is a programming error and traps.
    public func pool(for module: String) -> PostgresPool {
        guard let pool = pools[module] else {
            preconditionFailure("no module schema named \(module) was opened")
        }
        return pool
    }

    /// For `/ready`: a `SELECT 1` through the first module's pool (the admin
    /// login when there are none), waiting at most about two seconds for a connection.
    public func ping() -> Bool {
        if let first = moduleNames.first, let pool = pools[first] { return pool.ping() }
        return admin?.pool.ping() ?? false
    }

    /// Closes every pool and stops the embedded cluster if this process
    /// started it. Idempotent.
    public func shutdown() {
        guard !isShutDown.exchange(true, ordering: .acquiringAndReleasing) else { return }
        for pool in pools.values { pool.close() }
        admin?.pool.close()
        embedded?.release()
    }
}
