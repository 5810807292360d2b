import Foundation
import Platform
import Synchronization

/// Connects Banyan to its database: `DATABASE_URL` when given, otherwise the
/// embedded cluster under `.banyan/pg`.
///
/// Opening provisions every module (role `banyan_<name>`, schema `<name>`
/// owned by it, closed to everyone else), runs its migrations as that role,
/// and gives it a pool logged in as that role with `search_path` set to its
/// schema. A module's pool therefore cannot read another module's tables:
/// the database enforces the module boundary, not just the code.
///
///     let database = try Database.open(modules: [Payments.schema], options: .init(rolePassword: derive))
///     let payments = database.pool(for: "payments")
///     defer { database.shutdown() }
///
/// The admin connection (`DATABASE_URL`, or the embedded superuser) must be
/// allowed to create roles and schemas: a superuser.
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

        /// - Parameter databaseURL: defaults to `DATABASE_URL` from the environment or `.env`.
        public init(
            databaseURL: String? = Configuration.value("DATABASE_URL"),
            embeddedDirectory: String = StateDirectory.path + "/pg",
            rolePassword: @escaping @Sendable (String) -> String,
            poolSize: Int = 10,
            poolWaitTimeout: Double = 5
        ) {
            self.databaseURL = databaseURL
            self.embeddedDirectory = embeddedDirectory
            self.rolePassword = rolePassword
            self.poolSize = poolSize
            self.poolWaitTimeout = poolWaitTimeout
        }
    }

    /// The superuser/admin connection string (tests and tools). Holds a password: never log it.
    public let adminConnectionInfo: String
    private let pools: [String: PostgresPool]
    private let moduleNames: [String]
    private let adminPool: PostgresPool
    private let embedded: EmbeddedPostgres?
    private let isShutDown = Atomic<Bool>(false)

    private init(
        adminConnectionInfo: String, pools: [String: PostgresPool], moduleNames: [String],
        embedded: EmbeddedPostgres?
    ) {
        self.adminConnectionInfo = adminConnectionInfo
        self.pools = pools
        self.moduleNames = moduleNames
        self.adminPool = PostgresPool(conninfo: adminConnectionInfo, size: 1, waitTimeout: 2)
        self.embedded = embedded
    }

    /// Starts (or finds) the database, provisions each module, applies
    /// pending migrations and opens one pool per module.
    ///
    /// Safe to call from several processes at once against one database.
    /// Throws `PostgresError` (`.cluster`, `.connectionFailed`, `.migration`, `.server`).
    public static func open(modules: [ModuleSchema], options: Options) throws -> Database {
        for module in modules { try module.validate() }
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
            try SchemaProvisioner.provision(modules, admin: admin, rolePassword: options.rolePassword)

            let base = try ConnectionInfo(parsing: adminInfo)
            for module in modules {
                var login = base
                login["user"] = module.roleName
                login["password"] = options.rolePassword(module.roleName)
                // Module queries are short key lookups whose best plan does not
                // depend on the values bound: plan each prepared statement once
                // (array binds would otherwise be re-planned on every run).
                login["options"] = [
                    base["options"], "-c search_path=\(module.name)", "-c plan_cache_mode=force_generic_plan",
                ].compactMap { $0 }.joined(separator: " ")
                login["application_name"] = "banyan-\(module.name)"
                pools[module.name] = PostgresPool(
                    conninfo: login.conninfo, size: options.poolSize, waitTimeout: options.poolWaitTimeout)
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
        guard let first = moduleNames.first, let pool = pools[first] else { return adminPool.ping() }
        return pool.ping()
    }

    /// Closes every pool and stops the embedded cluster if this process
    /// started it. Idempotent.
    public func shutdown() {
        guard !isShutDown.exchange(true, ordering: .acquiringAndReleasing) else { return }
        for pool in pools.values { pool.close() }
        adminPool.close()
        embedded?.release()
    }
}
