import Foundation

/// File-system chores of the embedded cluster: private directories owned by
/// the server's account, the generated superuser password, the cross-process
/// lock, the socket directory.
enum ClusterFiles {
    /// `mkdir -p` with mode 0700, owned by `owner`. When the server runs as
    /// another account (we are root), every ancestor gets the others-execute
    /// bit so that account can reach the directory: traverse, not list.
    static func makePrivateDirectory(_ path: String, owner: Subprocess.Account) throws {
        do {
            try FileManager.default.createDirectory(
                atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw PostgresError(kind: .cluster, message: "cannot create \(path): \(error.localizedDescription)")
        }
        guard !owner.isCurrentUser else { return }
        guard chown(path, owner.uid, owner.gid) == 0 else {
            throw PostgresError(kind: .cluster, message: "cannot hand \(path) to \(owner.name): errno \(errno)")
        }
        var ancestor = URL(fileURLWithPath: path).deletingLastPathComponent()
        while ancestor.path != "/" && !ancestor.path.isEmpty {
            var info = stat()
            if stat(ancestor.path, &info) == 0, info.st_mode & S_IXOTH == 0 {
                chmod(ancestor.path, (info.st_mode & 0o7777) | S_IXOTH)
            }
            ancestor = ancestor.deletingLastPathComponent()
        }
    }

    /// An exclusive `flock` on a file, held until `unlock()`.
    /// An flock(2) on a file: exclusive to serialise starting and stopping
    /// the cluster, shared to mark "this process is using the cluster".
    /// The kernel drops it when the process dies, however it dies.
    /// Sendable: `descriptor` only changes in `unlock`, which callers run under
    /// EmbeddedPostgres's registry mutex.
    final class Lock: @unchecked Sendable {
        enum Mode {
            case exclusive, shared

            var operation: Int32 { self == .exclusive ? LOCK_EX : LOCK_SH }
        }

        private var descriptor: Int32

        /// Waits for the lock.
        convenience init(path: String, mode: Mode = .exclusive) throws {
            try self.init(path: path, operation: mode.operation)
        }

        /// The exclusive lock if nobody holds the file, else nil at once.
        static func tryExclusive(path: String) throws -> Lock? {
            let lock = try Lock(path: path, operation: LOCK_EX | LOCK_NB)
            return lock.descriptor >= 0 ? lock : nil
        }

        private init(path: String, operation: Int32) throws {
            descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
            guard descriptor >= 0 else {
                throw PostgresError(kind: .cluster, message: "cannot open \(path): errno \(errno)")
            }
            while flock(descriptor, operation) != 0 {
                let code = errno
                if code == EINTR { continue }
                close(descriptor)
                descriptor = -1
                if code == EWOULDBLOCK { return }
                throw PostgresError(kind: .cluster, message: "cannot lock \(path): errno \(code)")
            }
        }

        func unlock() {
            guard descriptor >= 0 else { return }
            close(descriptor)  // releases the flock
            descriptor = -1
        }

        deinit { unlock() }
    }

    /// Reads the secret at `path`, or creates it (0600) from 32 random bytes.
    static func loadOrCreateSecret(at path: String, owner: Subprocess.Account) throws -> String {
        let existing = read(path).trimmingCharacters(in: .whitespacesAndNewlines)
        if !existing.isEmpty { return existing }
        // SystemRandomNumberGenerator reads the kernel's CSPRNG (getrandom).
        var generator = SystemRandomNumberGenerator()
        let secret = (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }
            .joined()
        try writeOwned(secret + "\n", to: path, owner: owner, mode: 0o600)
        return secret
    }

    /// Writes through a temporary file and `rename`, so readers never see
    /// half a file, then gives it to `owner` (the server must read it).
    static func writeOwned(_ text: String, to path: String, owner: Subprocess.Account, mode: mode_t = 0o600) throws {
        let temporary = path + ".tmp"
        unlink(temporary)
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard descriptor >= 0 else {
            throw PostgresError(kind: .cluster, message: "cannot write \(path): errno \(errno)")
        }
        let bytes = Array(text.utf8)
        let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        close(descriptor)
        guard written == bytes.count else {
            unlink(temporary)
            throw PostgresError(kind: .cluster, message: "cannot write \(path)")
        }
        if !owner.isCurrentUser { chown(temporary, owner.uid, owner.gid) }
        guard rename(temporary, path) == 0 else {
            throw PostgresError(kind: .cluster, message: "cannot write \(path): errno \(errno)")
        }
    }

    /// `<directory>/run`, or `/tmp/banyan-<hash>` when the socket path would
    /// not fit in `sun_path` or holds characters the setting cannot quote.
    /// An existing directory is used only if it is ours and private: another
    /// user must not be able to plant a socket we would talk to.
    static func socketDirectory(for directory: String, port: Int, owner: Subprocess.Account) throws -> String {
        let preferred = directory + "/run"
        let fits = (preferred + "/.s.PGSQL.\(port)").utf8.count <= 107
        let plain = !preferred.contains(where: { "'\",\\".contains($0) || $0.isWhitespace })
        let chosen = fits && plain ? preferred : "/tmp/banyan-" + fnv1a(directory)
        if mkdir(chosen, 0o700) == 0 {
            if !owner.isCurrentUser { chown(chosen, owner.uid, owner.gid) }
            return chosen
        }
        guard errno == EEXIST else {
            throw PostgresError(kind: .cluster, message: "cannot create \(chosen): errno \(errno)")
        }
        var info = stat()
        guard lstat(chosen, &info) == 0, info.st_mode & S_IFMT == S_IFDIR, info.st_uid == owner.uid,
            info.st_mode & 0o077 == 0
        else {
            throw PostgresError(
                kind: .cluster, message: "\(chosen) exists but is not a private directory of \(owner.name)")
        }
        return chosen
    }

    /// Port and socket directory of a running postmaster, from `postmaster.pid`
    /// (lines 4 and 5), so a cluster started with other settings is still found.
    static func postmasterAddress(dataDirectory: String) -> (port: Int, socketDirectory: String)? {
        let lines = read(dataDirectory + "/postmaster.pid").split(separator: "\n", omittingEmptySubsequences: false)
        guard lines.count > 4, let port = Int(lines[3].trimmingCharacters(in: .whitespaces)) else { return nil }
        let socketDirectory = lines[4].trimmingCharacters(in: .whitespaces)
        guard !socketDirectory.isEmpty else { return nil }
        return (port, socketDirectory)
    }

    static func read(_ path: String) -> String {
        (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
    }

    /// A stable short name for a path (not a security measure: the directory is checked instead).
    private static func fnv1a(_ text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return String(hash, radix: 16)
    }
}
