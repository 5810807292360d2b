import Foundation

/// Where Banyan keeps its local state: the embedded PostgreSQL cluster,
/// generated secrets, the ops token. `BANYAN_HOME` overrides the default
/// `.banyan/` in the working directory.
///
/// The directory holds secrets, so it must be private: owned by the user
/// Banyan runs as, mode 0700. `checkPrivate` refuses anything wider at start
/// rather than serving with keys another local account can read.
public enum StateDirectory {
    public static var path: String {
        if let home = Configuration.value("BANYAN_HOME"), !home.isEmpty { return home }
        return FileManager.default.currentDirectoryPath + "/.banyan"
    }

    /// Creates the directory (mode 0700) if needed, checks it is private, and
    /// returns the path of `name` inside it.
    public static func file(_ name: String) throws -> String {
        let directory = path
        try makePrivate(directory: directory)
        return directory + "/" + name
    }

    /// Creates `directory` with mode 0700 unless it exists (its parents with
    /// the default mode), then `checkPrivate`s it.
    ///
    /// mkdir(2) gets the mode at creation: creating with default bits and
    /// narrowing them afterwards (as FileManager's `attributes:` does) would
    /// let a process starting at the same moment see, and refuse, 0755.
    public static func makePrivate(directory: String) throws {
        if mkdir(directory, 0o700) != 0 {
            let code = errno
            if code == ENOENT {
                let parent = (directory as NSString).deletingLastPathComponent
                try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
                if mkdir(directory, 0o700) != 0 && errno != EEXIST {
                    throw NotPrivate(path: directory, problem: "cannot be created: \(String(cString: strerror(errno)))", fix: nil)
                }
            } else if code != EEXIST {
                throw NotPrivate(path: directory, problem: "cannot be created: \(String(cString: strerror(code)))", fix: nil)
            }
        }
        try checkPrivate(directory: directory)
    }

    /// Throws unless `directory` is a directory owned by this process's user
    /// with no group or other permission bits (0700, or narrower).
    ///
    /// One exception, as root only: others may traverse it (0701, never read
    /// or write), because the embedded cluster then runs as the `postgres`
    /// account, which must reach `pg/` inside (see `ClusterFiles`). Listing
    /// stays closed and every secret file is 0600 on its own.
    ///
    /// Only the directory itself is checked, not what is inside: the embedded
    /// cluster's `pg/` belongs to the `postgres` account when Banyan runs as root.
    public static func checkPrivate(directory: String) throws(NotPrivate) {
        var info = stat()
        guard stat(directory, &info) == 0 else {
            throw NotPrivate(path: directory, problem: "cannot be examined: \(String(cString: strerror(errno)))", fix: nil)
        }
        guard info.st_mode & S_IFMT == S_IFDIR else {
            throw NotPrivate(path: directory, problem: "is not a directory", fix: nil)
        }
        try checkOwnerAndMode(info, path: directory, allowed: geteuid() == 0 ? 0o701 : 0o700, chmod: "chmod 700")
    }

    /// Throws unless `info` (of `path`) belongs to this process's user and
    /// has no permission bit outside `allowed`. The error names the path, what
    /// was found and the command that fixes it.
    public static func checkOwnerAndMode(
        _ info: stat, path: String, allowed: mode_t, chmod command: String
    ) throws(NotPrivate) {
        let user = geteuid()
        guard info.st_uid == user else {
            throw NotPrivate(
                path: path, problem: "is owned by uid \(info.st_uid), not by uid \(user) that Banyan runs as",
                fix: "chown \(user) \(path)")
        }
        let mode = info.st_mode & 0o7777
        guard mode & ~allowed == 0 else {
            throw NotPrivate(
                path: path,
                problem: "has mode \(octal(mode)); group and others must have no access (expected \(octal(allowed)))",
                fix: "\(command) \(path)")
        }
    }

    /// A state directory or secret file other local users could read or
    /// replace. The description is the whole operator message.
    public struct NotPrivate: Error, Sendable, CustomStringConvertible {
        public let path: String
        public let problem: String
        /// The shell command that fixes it, when there is one.
        public let fix: String?

        public var description: String {
            "\(path) \(problem)" + (fix.map { "; fix it with `\($0)`" } ?? "")
        }
    }

    private static func octal(_ mode: mode_t) -> String {
        let digits = String(mode, radix: 8)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}
