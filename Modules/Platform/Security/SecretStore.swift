import Foundation
import Platform

/// Secrets that work with zero configuration yet can be set by operators:
/// the JWT signing key, the ops token, the service and database secrets.
///
/// An environment variable (or `.env` entry) wins; in a cluster
/// (`BANYAN_CLUSTER=1`) it is the only way, see `ClusterMode`. Without one, the secret
/// lives in a file in the state directory, created on first use with 32
/// random bytes, hex-encoded, mode 0600. Creation is atomic and race-free:
/// the secret is written to a private temporary file which is then
/// hard-linked into place, which fails if the name already exists; every
/// process then reads back whatever file won, so two processes starting at
/// once agree on one secret.
///
/// A secret file is only trusted when nobody else could have read or planted
/// it: the directory must be owned by this user with mode 0700, the file
/// owned by this user with mode 0600 (or narrower), and a regular file (a
/// FIFO would hang the read). Anything else is refused with the command that
/// fixes it, e.g. `chmod 600 .banyan/jwt-secret`.
public enum SecretStore {
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public let path: String
        public let reason: String
        public var description: String { "secret file \(path): \(reason)" }
    }

    static let generatedByteCount = 32

    /// The secret's bytes: the variable's UTF-8 text, or the file's text
    /// (without surrounding whitespace), so the same value gives the same
    /// key whichever way it was supplied.
    public static func loadOrCreate(environment name: String, file fileName: String) throws -> [UInt8] {
        Array(try loadOrCreateToken(environment: name, file: fileName).utf8)
    }

    /// The secret when it is set or its file exists, nil otherwise: for a
    /// process that must use a secret another one created (a service using
    /// the gateway's database secret), where a fresh one would be useless.
    /// In a cluster only the variable counts (see `loadOrCreateToken`).
    public static func load(environment name: String, file fileName: String) throws -> [UInt8]? {
        if let value = Configuration.value(name), !value.isEmpty { return Array(value.utf8) }
        guard !ClusterMode.isEnabled else { return nil }
        return try existing(fileName, in: StateDirectory.path)
    }

    /// The secret file `fileName` in `directory` when both exist, nil
    /// otherwise; never creates either. The directory must be private (as
    /// the state directory is checked), the file pass `load(file:)`'s checks.
    public static func existing(_ fileName: String, in directory: String) throws -> [UInt8]? {
        precondition(!fileName.isEmpty && !fileName.contains("/"), "secret file name must be a plain name")
        guard FileManager.default.fileExists(atPath: directory) else { return nil }
        try StateDirectory.checkPrivate(directory: directory)
        return try load(file: directory + "/" + fileName)
    }

    /// The secret in the file at `path`, nil when there is none: a regular
    /// file owned by this user, mode 0600 or narrower, non-empty UTF-8 text
    /// (without surrounding whitespace). For a file named by an operator
    /// (`banyan contract --secret-file`); its directory is not checked.
    public static func load(file path: String) throws -> [UInt8]? {
        try read(path).map { Array($0.utf8) }
    }

    /// The same secret as printable text, for bearer tokens such as the ops token.
    public static func loadOrCreateToken(environment name: String, file fileName: String) throws -> String {
        try loadOrCreateToken(environment: name, file: fileName, directory: StateDirectory.path)
    }

    /// As `loadOrCreateToken(environment:file:)`, with the file in `directory`
    /// (created with mode 0700 if missing) instead of the state directory.
    ///
    /// `inCluster` (`BANYAN_CLUSTER=1`): the variable or nothing. A file in
    /// this instance's state directory, whether made now or left by an
    /// earlier start, would be this instance's alone.
    public static func loadOrCreateToken(
        environment name: String, file fileName: String, directory: String, inCluster: Bool = ClusterMode.isEnabled
    ) throws -> String {
        if let value = Configuration.value(name), !value.isEmpty { return value }
        guard !inCluster else { throw MissingSharedSettings(names: [name]) }
        precondition(!fileName.isEmpty && !fileName.contains("/"), "secret file name must be a plain name")
        try StateDirectory.makePrivate(directory: directory)
        let path = directory + "/" + fileName
        if let existing = try read(path) { return existing }
        try create(path)
        guard let created = try read(path) else { throw Failure(path: path, reason: "vanished after creation") }
        return created
    }

    /// nil when the file does not exist.
    private static func read(_ path: String) throws -> String? {
        // Non-blocking, so a FIFO planted at the path cannot hang the open;
        // the checks below then refuse it.
        let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY)
        if descriptor < 0 {
            let code = errno
            if code == ENOENT { return nil }
            throw Failure(path: path, reason: "cannot open: \(String(cString: strerror(code)))")
        }
        defer { close(descriptor) }
        // Checked on the open descriptor: what is read is what was checked.
        var info = stat()
        guard fstat(descriptor, &info) == 0 else {
            throw Failure(path: path, reason: "cannot stat: \(String(cString: strerror(errno)))")
        }
        guard info.st_mode & S_IFMT == S_IFREG else { throw Failure(path: path, reason: "not a regular file") }
        try StateDirectory.checkOwnerAndMode(info, path: path, allowed: 0o600, chmod: "chmod 600")
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                let code = errno
                if code == EINTR { continue }
                throw Failure(path: path, reason: "cannot read: \(String(cString: strerror(code)))")
            }
            if count == 0 { break }
            bytes.append(contentsOf: chunk[..<count])
            if bytes.count > 64 * 1024 { throw Failure(path: path, reason: "larger than 64 KiB") }
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw Failure(path: path, reason: "not UTF-8 text")
        }
        let trimmed = text.trimmingASCIIWhitespace()
        // Never silently replace it: tokens signed with the old secret would all die.
        guard !trimmed.isEmpty else { throw Failure(path: path, reason: "empty; delete it to regenerate") }
        return trimmed
    }

    private static func create(_ path: String) throws {
        let secret = Hex.encode(SecureRandom.bytes(generatedByteCount)) + "\n"
        let temporary = path + ".tmp-\(getpid())-\(Hex.encode(SecureRandom.bytes(8)))"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw Failure(path: temporary, reason: "cannot create: \(String(cString: strerror(errno)))")
        }
        defer { unlink(temporary) }
        var written = 0
        let bytes = Array(secret.utf8)
        var writeError: Int32 = 0
        // The mode given to open(2) is narrowed by the umask, never widened; be explicit anyway.
        if fchmod(descriptor, 0o600) != 0 { writeError = errno }
        while writeError == 0 && written < bytes.count {
            let count = bytes[written...].withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                writeError = errno
            } else {
                written += count
            }
        }
        if writeError == 0 && fsync(descriptor) != 0 { writeError = errno }
        close(descriptor)
        guard writeError == 0 else {
            throw Failure(path: temporary, reason: "cannot write: \(String(cString: strerror(writeError)))")
        }
        // link(2) refuses to replace an existing name: the first process wins, the rest read its file.
        if link(temporary, path) != 0 {
            let code = errno
            if code != EEXIST {
                throw Failure(path: path, reason: "cannot link into place: \(String(cString: strerror(code)))")
            }
        }
    }
}

extension String {
    fileprivate func trimmingASCIIWhitespace() -> String {
        let isSpace: (UInt8) -> Bool = { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }
        let bytes = Array(utf8)
        guard let first = bytes.firstIndex(where: { !isSpace($0) }),
            let last = bytes.lastIndex(where: { !isSpace($0) })
        else { return "" }
        return String(decoding: bytes[first...last], as: UTF8.self)
    }
}
