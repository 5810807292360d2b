import Foundation

/// The file-system side of watching flags.json: a cheap `stat` each poll,
/// and a full read only when that stat (or the link it goes through) differs
/// from the last read, or when the last read was too recent to trust the
/// timestamps.
///
/// Why each field is compared: an atomic rename (`write tmp; mv tmp
/// flags.json`) gives a new inode; a symlink swap (`ln -s b.json new; mv -T
/// new flags.json`, or Kubernetes' `..data` link) changes the link text and
/// the inode reached through it; an in-place write changes size and mtime.
/// ctime catches what mtime can be made to hide (`touch -d`, `cp -p`).
enum FlagsFile {
    struct Identity: Equatable, Sendable {
        /// `readlink(path)` when the path is a symlink; swaps between two
        /// links to the same inode still count as a change.
        var linkTarget: String?
        var device: UInt64
        var inode: UInt64
        var size: Int64
        var modified: Timestamp
        var changed: Timestamp
    }

    struct Timestamp: Equatable, Comparable, Sendable {
        var seconds: Int
        var nanoseconds: Int

        init(_ time: timespec) {
            seconds = Int(time.tv_sec)
            nanoseconds = Int(time.tv_nsec)
        }

        static func < (lhs: Timestamp, rhs: Timestamp) -> Bool {
            (lhs.seconds, lhs.nanoseconds) < (rhs.seconds, rhs.nanoseconds)
        }

        static var now: Timestamp {
            var time = timespec()
            clock_gettime(CLOCK_REALTIME, &time)
            return Timestamp(time)
        }
    }

    enum Probe: Equatable {
        case missing
        case failed(String)
        case present(Identity)
    }

    enum Contents {
        case missing
        case failed(String)
        /// What was read, the identity of the very file descriptor it came from, and when.
        case read(Identity, [UInt8], at: Timestamp)
    }

    /// Some file systems keep whole-second (or coarser) timestamps: a second
    /// same-size write in the same tick as the one we read leaves every stat
    /// field as it was. Until the clock has moved `granularity` past the
    /// file's mtime, a matching stat proves nothing and the content is
    /// compared instead (git's "racily clean" rule).
    static let timestampGranularity = 2

    static func mayHaveChangedUnseen(_ identity: Identity, lastReadAt: Timestamp) -> Bool {
        identity.modified.seconds + timestampGranularity >= lastReadAt.seconds
    }

    static func probe(_ path: String) -> Probe {
        let link = linkTarget(path)
        var info = stat()
        guard stat(path, &info) == 0 else {
            let code = errno
            return code == ENOENT || code == ENOTDIR ? .missing : .failed("cannot stat \(path): \(describe(code))")
        }
        if let refusal = notRegular(info, path: path) { return .failed(refusal) }
        return .present(identity(info, linkTarget: link))
    }

    static func read(_ path: String, limit: Int) -> Contents {
        let link = linkTarget(path)
        // Stat before open: opening a FIFO for reading blocks until a writer
        // appears, which would hang start, every reload and shutdown.
        if case .failed(let message) = probe(path) { return .failed(message) }
        // Non-blocking in case the path was swapped for a FIFO since the stat;
        // the fstat below refuses it without reading.
        let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY)
        guard descriptor >= 0 else {
            let code = errno
            return code == ENOENT || code == ENOTDIR ? .missing : .failed("cannot open \(path): \(describe(code))")
        }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { return .failed("cannot stat \(path): \(describe(errno))") }
        if let refusal = notRegular(info, path: path) { return .failed(refusal) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        while bytes.count <= limit {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                let code = errno
                if code == EINTR { continue }
                return .failed("cannot read \(path): \(describe(code))")
            }
            if count == 0 { break }
            bytes.append(contentsOf: chunk[0..<count])
        }
        guard bytes.count <= limit else { return .failed("\(path) is larger than \(limit) bytes") }
        return .read(identity(info, linkTarget: link), bytes, at: .now)
    }

    /// The path made absolute against the working directory, `.` and `..`
    /// folded; symlinks are kept, since watching through them is the point.
    static func absolute(_ path: String) -> String {
        URL(fileURLWithPath: path).standardized.path
    }

    private static func identity(_ info: stat, linkTarget: String?) -> Identity {
        Identity(
            linkTarget: linkTarget, device: UInt64(info.st_dev), inode: UInt64(info.st_ino), size: Int64(info.st_size),
            modified: Timestamp(info.st_mtim), changed: Timestamp(info.st_ctim))
    }

    /// Why `info` is not a file flags can be read from, or nil when it is a regular file.
    private static func notRegular(_ info: stat, path: String) -> String? {
        let kind: String
        switch info.st_mode & S_IFMT {
        case S_IFREG: return nil
        case S_IFIFO: kind = "a FIFO"
        case S_IFDIR: kind = "a directory"
        case S_IFSOCK: kind = "a socket"
        case S_IFCHR, S_IFBLK: kind = "a device"
        default: kind = "not a regular file"
        }
        return "\(path) is \(kind), not a regular file; refusing to open it"
    }

    private static func linkTarget(_ path: String) -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlink(path, &buffer, buffer.count - 1)
        guard count >= 0 else { return nil }
        return String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    private static func describe(_ code: Int32) -> String {
        String(cString: strerror(code))
    }
}
