import Foundation
import Bootstrap
import Postgres

/// A real PostgreSQL for tests, never a mock.
///
/// `BANYAN_TEST_DATABASE_URL` (set by `scripts/test`) names a cluster to use;
/// otherwise one embedded cluster is started under `.banyan/test-pg`, once
/// per process, without fsync (processes running tests at the same time
/// share it safely), and stopped when the test process exits — by the last
/// of them to exit — so `swift test --filter …` leaves no PostgreSQL
/// running. `BANYAN_TEST_KEEP_PG=1` keeps it running for the next run (a
/// faster start), and the process says so at exit with the command that
/// stops it. A test process killed by a signal cannot stop it; the next run
/// reuses that cluster and stops it at its own exit.
///
/// Every suite should work in its own database from `makeDatabase` or
/// `open(modules:)`, so suites running in parallel never share tables.
/// Roles are cluster-wide and shared by those databases; they all get the
/// same fixed test password, and provisioning tolerates the races.
public enum TestDatabase {
    /// A superuser connection string.
    public static var shared: String { server.conninfo }

    /// The secret module role passwords are derived from in tests. Child
    /// processes (service executables) started by tests get it as
    /// `BANYAN_DB_SECRET`, so they derive the same passwords: roles are
    /// cluster-wide, and a process deriving others would lock every test out.
    public static let roleSecret = "banyan-test-role-secret"

    /// The password every module role gets in tests.
    public static let rolePassword = DatabaseSetup.rolePassword(secret: Array(roleSecret.utf8))

    /// Creates a database named `bt_<prefix>_<time>_<random>` and returns a
    /// superuser connection string for it.
    public static func makeDatabase(_ prefix: String = "test") -> String {
        let cleaned = String(prefix.lowercased().map { $0.isLetter || $0.isNumber ? $0 : "_" }.prefix(24))
        let suffix = String(UInt32.random(in: 0...UInt32.max), radix: 16)
        let name = "bt_\(cleaned)_\(Int(Date().timeIntervalSince1970))_\(suffix)"
        do {
            let connection = try PostgresConnection(conninfo: shared)
            defer { connection.close() }
            try connection.execute("CREATE DATABASE \(identifier: name)")
            return try server.conninfo(database: name)
        } catch {
            fatalError("TestDatabase cannot create a database: \(String(reflecting: error))")
        }
    }

    public static func makeDatabase(prefix: String) -> String { makeDatabase(prefix) }

    /// Opens a `Database` for `modules` in a fresh database, with the test role password.
    public static func open(
        modules: [ModuleSchema], prefix: String = "test", poolSize: Int = 4, poolWaitTimeout: Double = 5
    ) throws -> Database {
        try Database.open(
            modules: modules,
            options: Database.Options(
                databaseURL: makeDatabase(prefix), embeddedDirectory: "/nonexistent",
                rolePassword: rolePassword, poolSize: poolSize, poolWaitTimeout: poolWaitTimeout))
    }

    private struct Server: Sendable {
        var conninfo: String

        func conninfo(database: String) throws -> String {
            var info = try ConnectionInfo(parsing: conninfo)
            info["dbname"] = database
            return info.conninfo
        }
    }

    /// Started on first use; Swift runs a static initializer once, thread-safely.
    private static let server: Server = {
        let conninfo: String
        if let url = ProcessInfo.processInfo.environment["BANYAN_TEST_DATABASE_URL"], !url.isEmpty {
            conninfo = url
        } else {
            do {
                let directory = FileManager.default.currentDirectoryPath + "/.banyan/test-pg"
                let cluster = try EmbeddedPostgres.acquire(directory: directory, durable: false)
                conninfo = cluster.conninfo(database: "postgres")
                EmbeddedTestCluster.letGoAtExit(cluster)
            } catch {
                fatalError("TestDatabase cannot start PostgreSQL: \(String(reflecting: error))")
            }
        }
        dropStaleDatabases(conninfo)
        return Server(conninfo: conninfo)
    }()

    /// Test databases are never dropped by the tests that made them; those
    /// older than six hours are dropped here. One still in use refuses (it
    /// has connections), which is fine.
    private static func dropStaleDatabases(_ conninfo: String) {
        guard let connection = try? PostgresConnection(conninfo: conninfo) else { return }
        defer { connection.close() }
        let cutoff = Int(Date().timeIntervalSince1970) - 6 * 3600
        guard let rows = try? connection.query("SELECT datname FROM pg_database WHERE datname LIKE 'bt\\_%'")
        else { return }
        for row in rows {
            guard let name = try? row.string("datname"),
                let stamp = name.split(separator: "_").dropLast().last.flatMap({ Int($0) }), stamp < cutoff
            else { continue }
            _ = try? connection.execute("DROP DATABASE IF EXISTS \(identifier: name)")
        }
    }
}
