import Foundation

/// Runs PostgreSQL's command-line tools (initdb, pg_ctl) and waits for them.
///
/// `posix_spawn` rather than `Foundation.Process`, for control over what the
/// child inherits: `pg_ctl start` leaves a long-lived postmaster behind, and
/// it must not keep our listening sockets, pipes or ignored signals.
/// Output goes to a temporary file rather than a pipe, so a daemon that
/// kept the pipe open could never make us wait for EOF.
enum Subprocess {
    struct Outcome {
        var status: Int32
        var output: String
    }

    /// The OS account the tools run as: PostgreSQL refuses to run as root.
    struct Account {
        var name: String
        var uid: uid_t
        var gid: gid_t

        /// The current user, or `postgres` when we are root.
        static func server() throws -> Account {
            if geteuid() != 0 {
                let name = getpwuid(geteuid()).map { String(cString: $0.pointee.pw_name) } ?? "banyan"
                return Account(name: name, uid: geteuid(), gid: getegid())
            }
            guard let entry = getpwnam("postgres") else {
                throw PostgresError(
                    kind: .cluster, message: "running as root needs a postgres OS user to run the embedded cluster")
            }
            return Account(name: "postgres", uid: entry.pointee.pw_uid, gid: entry.pointee.pw_gid)
        }

        var isCurrentUser: Bool { uid == geteuid() }
    }

    static func run(
        _ executable: String, _ arguments: [String], as account: Account, workingDirectory: String
    ) throws -> Outcome {
        var command = [executable] + arguments
        if !account.isCurrentUser {
            let candidates: [String] = ["/usr/bin/setpriv", "/bin/setpriv"]
            guard let setpriv = candidates.first(where: { access($0, X_OK) == 0 }) else {
                throw PostgresError(kind: .cluster, message: "setpriv (util-linux) is needed to run PostgreSQL as \(account.name)")
            }
            command = [setpriv, "--reuid=\(account.uid)", "--regid=\(account.gid)", "--init-groups", "--"] + command
        }
        // A fixed environment: PGPORT, PGDATA or PGOPTIONS of ours must not
        // steer the server, and secrets in our environment stay here.
        let environment = [
            "PATH=/usr/local/bin:/usr/bin:/bin", "LC_ALL=C", "LANG=C",
            "HOME=\(workingDirectory)", "USER=\(account.name)", "LOGNAME=\(account.name)",
        ]

        var template = Array("/tmp/banyan-spawn-XXXXXX".utf8CString)
        let outputDescriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard outputDescriptor >= 0 else {
            throw PostgresError(kind: .cluster, message: "cannot create a temporary file: errno \(errno)")
        }
        let outputPath = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        defer {
            close(outputDescriptor)
            unlink(outputPath)
        }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, outputDescriptor, 1)
        posix_spawn_file_actions_adddup2(&actions, outputDescriptor, 2)
        SpawnExtensions.addCloseFrom(&actions, 3)
        SpawnExtensions.addChangeDirectory(&actions, workingDirectory)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var allSignals = sigset_t()
        sigfillset(&allSignals)
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        let argv: [UnsafeMutablePointer<CChar>?] = command.map { strdup($0) } + [nil]
        let envp: [UnsafeMutablePointer<CChar>?] = environment.map { strdup($0) } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, command[0], &actions, &attributes, argv, envp)
        guard spawned == 0 else {
            throw PostgresError(kind: .cluster, message: "cannot run \(executable): errno \(spawned)")
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            guard errno == EINTR else {
                throw PostgresError(kind: .cluster, message: "waiting for \(executable) failed: errno \(errno)")
            }
        }
        let output = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        // WIFEXITED / WEXITSTATUS, which Swift does not import (they are macros).
        let exitCode = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
        return Outcome(status: exitCode, output: output)
    }
}

/// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34) and
/// `…_addchdir_np` (2.29) are declared only under `_GNU_SOURCE`, which
/// Swift's Glibc module does not set, so they are looked up at run time.
private enum SpawnExtensions {
    private typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
    private typealias ChangeDirectory =
        @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32

    static func addCloseFrom(_ actions: UnsafeMutablePointer<posix_spawn_file_actions_t>, _ lowest: Int32) {
        if let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np") {
            _ = unsafeBitCast(symbol, to: CloseFrom.self)(actions, lowest)
            return
        }
        // Older glibc: close what is open now.
        let open = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        for descriptor in open.compactMap({ Int32($0) }) where descriptor >= lowest {
            if fcntl(descriptor, F_GETFD) >= 0 { posix_spawn_file_actions_addclose(actions, descriptor) }
        }
    }

    static func addChangeDirectory(_ actions: UnsafeMutablePointer<posix_spawn_file_actions_t>, _ path: String) {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addchdir_np")
        else { return }
        _ = unsafeBitCast(symbol, to: ChangeDirectory.self)(actions, path)
    }
}
