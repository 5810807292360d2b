import CPostgres
import Foundation
import Platform
import Synchronization

/// Banyan's private PostgreSQL cluster, used when no `DATABASE_URL` is given.
///
/// Layout of `directory` (0700, owned by the server's OS account):
///
///     data/               the cluster (initdb on first use; survives restarts)
///     superuser-password  0600, generated once; the superuser is `postgres`
///     run/                the Unix socket (0700); no TCP listener at all
///     server.log          the postmaster's output
///     banyan.lock         flock'd while starting or stopping, across processes
///     users.lock          flock'd shared by every process using the cluster
///
/// If `run/.s.PGSQL.5432` would not fit in `sun_path` (107 bytes), the
/// socket lives in `/tmp/banyan-<hash of directory>` (0700) instead.
/// PostgreSQL refuses to run as root; as root the tools run as the
/// `postgres` OS user (through `setpriv`), which then owns `directory`.
///
/// A cluster already running on `directory` (another process started it)
/// is reused. Within a process, every `acquire` shares one cluster; across
/// processes, each one using it holds a shared lock on `users.lock`. The last
/// user to let go stops it, whoever started it: a gateway and a service
/// sharing the cluster can exit in any order without pulling it from under
/// the other, and nothing is left running once both are gone.
package final class EmbeddedPostgres: Sendable {
    package let directory: String
    package let socketDirectory: String
    package let port: Int
    package let superuser = "postgres"
    /// Whether this process started the server.
    package let startedByThisProcess: Bool
    private let superuserPassword: String
    private let released = Atomic<Bool>(false)

    private init(directory: String, cluster: RunningCluster) {
        self.directory = directory
        self.socketDirectory = cluster.socketDirectory
        self.port = cluster.port
        self.superuserPassword = cluster.password
        self.startedByThisProcess = cluster.startedHere
    }

    /// Creates the cluster if needed, starts it if it is not running, and
    /// waits until it accepts connections.
    /// - Parameter durable: false turns off fsync and friends: for throwaway test clusters only.
    package static func acquire(directory: String, durable: Bool = true) throws -> EmbeddedPostgres {
        let key = absolutePath(directory)
        let cluster = try clusters.withLock { clusters -> RunningCluster in
            if var cluster = clusters[key] {
                cluster.users += 1
                clusters[key] = cluster
                return cluster
            }
            let cluster = try bringUp(directory: key, durable: durable)
            clusters[key] = cluster
            return cluster
        }
        return EmbeddedPostgres(directory: key, cluster: cluster)
    }

    /// A superuser connection string for `database` over the private socket.
    package func conninfo(database: String) -> String {
        ConnectionInfo([
            ("host", socketDirectory), ("port", String(port)), ("user", superuser),
            ("password", superuserPassword), ("dbname", database),
        ]).conninfo
    }

    /// Gives this handle back; the last one in the last process using the cluster stops it.
    package func release() {
        guard !released.exchange(true, ordering: .acquiringAndReleasing) else { return }
        EmbeddedPostgres.clusters.withLock { clusters in
            guard var cluster = clusters[directory] else { return }
            cluster.users -= 1
            if cluster.users > 0 {
                clusters[directory] = cluster
                return
            }
            clusters[directory] = nil
            cluster.usersLock.unlock()
            EmbeddedPostgres.stopUnlessInUse(directory: directory)
        }
    }

    /// Creates `name` unless it exists; safe when several processes race to do it.
    package func ensureDatabase(_ name: String) throws {
        guard PostgresIdentifier.isValid(name) else {
            throw PostgresError(kind: .cluster, message: "invalid database name \(name)")
        }
        let connection = try PostgresConnection(conninfo: conninfo(database: "postgres"))
        defer { connection.close() }
        let exists = try connection.query("SELECT 1 FROM pg_database WHERE datname = \(name)").count > 0
        guard !exists else { return }
        do {
            try connection.execute("CREATE DATABASE \(identifier: name)")
        } catch let error as PostgresError where error.sqlState == "42P04" || error.isUniqueViolation {
            // Another process created it first.
        }
    }

    // MARK: - Process-wide registry

    private struct RunningCluster: Sendable {
        var socketDirectory: String
        var port: Int
        var password: String
        var startedHere: Bool
        /// This process's shared hold on `users.lock`.
        var usersLock: ClusterFiles.Lock
        var users = 1
    }

    /// Held while starting or stopping, so two threads never race pg_ctl; other
    /// processes are kept out by the flock on banyan.lock.
    private static let clusters = Mutex<[String: RunningCluster]>([:])

    private static let defaultPort = 5432

    private static func bringUp(directory: String, durable: Bool) throws -> RunningCluster {
        let account = try Subprocess.Account.server()
        try ClusterFiles.makePrivateDirectory(directory, owner: account)
        let lock = try ClusterFiles.Lock(path: directory + "/banyan.lock")
        defer { lock.unlock() }

        let passwordFile = directory + "/superuser-password"
        let password = try ClusterFiles.loadOrCreateSecret(at: passwordFile, owner: account)
        let data = directory + "/data"
        let binaries = try binaryDirectory(dataDirectory: data)
        if !FileManager.default.fileExists(atPath: data + "/PG_VERSION") {
            try initialize(
                data: data, passwordFile: passwordFile, binaries: binaries, account: account,
                directory: directory, durable: durable)
        }
        let socketDirectory = try ClusterFiles.socketDirectory(for: directory, port: defaultPort, owner: account)
        try ClusterFiles.writeOwned(
            settings(socketDirectory: socketDirectory, durable: durable), to: data + "/banyan.conf", owner: account)

        let pgCtl = binaries + "/pg_ctl"
        // Taken under banyan.lock, so no process is deciding to stop the cluster now.
        let usersLock = try ClusterFiles.Lock(path: directory + "/users.lock", mode: .shared)
        var cluster = RunningCluster(
            socketDirectory: socketDirectory, port: defaultPort, password: password, startedHere: false,
            usersLock: usersLock)
        let status = try Subprocess.run(pgCtl, ["status", "-D", data], as: account, workingDirectory: directory)
        if status.status == 0, let running = ClusterFiles.postmasterAddress(dataDirectory: data) {
            cluster.socketDirectory = running.socketDirectory
            cluster.port = running.port
        } else {
            let started = try Subprocess.run(
                pgCtl, ["start", "-D", data, "-w", "-t", "120", "-s", "-l", directory + "/server.log"],
                as: account, workingDirectory: directory)
            guard started.status == 0 else {
                throw PostgresError(
                    kind: .cluster,
                    message: "pg_ctl start failed (\(started.status)): \(tail(started.output)) "
                        + "server.log: \(tail(ClusterFiles.read(directory + "/server.log")))")
            }
            cluster.startedHere = true
            Log.shared.info("embedded PostgreSQL started", ["directory": .string(directory)])
        }
        try waitUntilAccepting(
            ConnectionInfo([("host", cluster.socketDirectory), ("port", String(cluster.port))]).conninfo)
        return cluster
    }

    private static func initialize(
        data: String, passwordFile: String, binaries: String, account: Subprocess.Account, directory: String,
        durable: Bool
    ) throws {
        // initdb into a side directory and rename, so a crash mid-way never
        // leaves a half-made cluster that looks finished.
        let partial = directory + "/data.partial"
        try? FileManager.default.removeItem(atPath: partial)
        var arguments = [
            "-D", partial, "-U", "postgres", "--pwfile=" + passwordFile, "--auth=scram-sha-256", "-E", "UTF8",
            "--no-locale", "--no-instructions",
        ]
        if !durable { arguments.append("--no-sync") }
        let outcome = try Subprocess.run(binaries + "/initdb", arguments, as: account, workingDirectory: directory)
        guard outcome.status == 0 else {
            throw PostgresError(kind: .cluster, message: "initdb failed (\(outcome.status)): \(tail(outcome.output))")
        }
        guard let configuration = FileHandle(forWritingAtPath: partial + "/postgresql.conf") else {
            throw PostgresError(kind: .cluster, message: "cannot open postgresql.conf of the new cluster")
        }
        configuration.seekToEndOfFile()
        configuration.write(Data("\n# Banyan's settings, rewritten at every start.\ninclude_if_exists = 'banyan.conf'\n".utf8))
        configuration.closeFile()
        guard rename(partial, data) == 0 else {
            throw PostgresError(kind: .cluster, message: "cannot move the new cluster into place: errno \(errno)")
        }
        Log.shared.info("embedded PostgreSQL cluster created", ["directory": .string(directory)])
    }

    private static func settings(socketDirectory: String, durable: Bool) -> String {
        var text = """
            # Written by Banyan before every start; edits are overwritten.
            listen_addresses = ''
            port = \(defaultPort)
            unix_socket_directories = '\(socketDirectory)'
            unix_socket_permissions = 0700
            max_connections = 300

            """
        if !durable {
            text += "fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n"
        }
        return text
    }

    /// Stops the server when no other process holds `users.lock`.
    private static func stopUnlessInUse(directory: String) {
        do {
            let account = try Subprocess.Account.server()
            let lock = try ClusterFiles.Lock(path: directory + "/banyan.lock")
            defer { lock.unlock() }
            guard let lastUser = try ClusterFiles.Lock.tryExclusive(path: directory + "/users.lock") else {
                Log.shared.info("embedded PostgreSQL left running for its other users", ["directory": .string(directory)])
                return
            }
            defer { lastUser.unlock() }
            let data = directory + "/data"
            let binaries = try binaryDirectory(dataDirectory: data)
            let outcome = try Subprocess.run(
                binaries + "/pg_ctl", ["stop", "-D", data, "-m", "fast", "-w", "-t", "60", "-s"], as: account,
                workingDirectory: directory)
            if outcome.status == 0 {
                Log.shared.info("embedded PostgreSQL stopped", ["directory": .string(directory)])
            } else {
                Log.shared.warning("pg_ctl stop failed", ["output": .string(tail(outcome.output))])
            }
        } catch {
            Log.shared.warning("cannot stop the embedded cluster", ["error": .string("\(error)")])
        }
    }

    private static func waitUntilAccepting(_ conninfo: String) throws {
        let deadline = Date(timeIntervalSinceNow: 30)
        while PQping(conninfo) != PQPING_OK {
            guard Date() < deadline else {
                throw PostgresError(kind: .cluster, message: "the embedded cluster does not accept connections")
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
    }

    /// `BANYAN_PG_BIN`, else the Debian layout matching the cluster's version
    /// (or the newest installed), else `pg_ctl` on the PATH.
    private static func binaryDirectory(dataDirectory: String) throws -> String {
        if let configured = Configuration.value("BANYAN_PG_BIN"), !configured.isEmpty { return configured }
        let root = "/usr/lib/postgresql"
        let version = ClusterFiles.read(dataDirectory + "/PG_VERSION").trimmingCharacters(in: .whitespacesAndNewlines)
        if !version.isEmpty, access("\(root)/\(version)/bin/pg_ctl", X_OK) == 0 { return "\(root)/\(version)/bin" }
        let installed = ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? [])
            .compactMap(Int.init).sorted()
        if let newest = installed.last(where: { access("\(root)/\($0)/bin/pg_ctl", X_OK) == 0 }) {
            return "\(root)/\(newest)/bin"
        }
        for entry in (Configuration.value("PATH") ?? "").split(separator: ":") where access("\(entry)/pg_ctl", X_OK) == 0 {
            return String(entry)
        }
        throw PostgresError(kind: .cluster, message: "PostgreSQL server binaries not found; set BANYAN_PG_BIN")
    }

    private static func absolutePath(_ path: String) -> String {
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        return URL(fileURLWithPath: absolute).standardizedFileURL.path
    }

    private static func tail(_ text: String) -> String {
        String(text.trimmingCharacters(in: .whitespacesAndNewlines).suffix(800))
    }
}
