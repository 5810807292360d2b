import Flags
import Foundation

/// Replaces a flags file so that every reader — the gateway's `FlagsStore`,
/// a service's, `cat` — sees the old bytes or the new ones, never a mix or
/// an empty file, and only if nobody replaced it since the caller read it.
///
/// Three layouts are supported, chosen by what `path` is:
///
/// - a regular file: the new bytes go to a temporary file in the same
///   directory (with the old file's permission bits), which is fsynced,
///   renamed over `path`, and the directory fsynced;
/// - a Kubernetes ConfigMap mount, `flags.json -> ..data/flags.json` with
///   `..data -> ..2026_12_02_00_00_00.123`: a new sibling directory
///   (`..<UTC time>.<random>`) gets a copy of every file of the old one
///   with flags.json replaced, all fsynced; a new link to it is made under a
///   temporary name (`..data_tmp`) and renamed over `..data`, the directory
///   fsynced, and the old directory removed — the kubelet's own sequence;
/// - a symlink to a regular file (`flags.json -> releases/a.json`): a new
///   file `flags.json.v-<UTC time>-<random>` beside the target, fsynced,
///   and a new link to it renamed over `path`. The old target is removed
///   only when it is one of these generated files; a file the operator
///   made is left where it was.
///
/// In the two link layouts a reader that followed the old link a moment
/// before the swap may find its target already removed and fail to open it
/// (the kubelet's window too; `FlagsStore` keeps the last good snapshot and
/// reads again on its next poll). No layout ever shows a partial file.
///
/// Anything else is refused with `.unsupported` before anything is written:
/// a link to a link (other than the ConfigMap pair), a dangling link, a
/// ConfigMap whose data link points outside its directory or whose data
/// directory holds something other than regular files, a FIFO, a directory.
///
/// The version check and the swap are one step for every writer using this
/// type (they hold an exclusive `flock` on `.<name>.lock` beside `path` for
/// the whole call, which serializes threads and processes alike). A hand
/// edit racing a write is not covered; it lands before (the write then
/// refuses, its version having moved) or after.
public enum FlagsFileWriter {
    /// The file's bytes and their version, read through any symlinks.
    public static func read(path: String) throws(FlagsWriteError) -> (bytes: [UInt8], version: FlagsVersion) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY)
        guard descriptor >= 0 else {
            let code = errno
            if code == ENOENT || code == ENOTDIR { throw .missing(path: path) }
            throw .io(path: path, operation: "open", message: describe(code))
        }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw .io(path: path, operation: "fstat", message: describe(errno)) }
        guard info.st_mode & S_IFMT == S_IFREG else { throw .unsupported(path: path, reason: "it is not a regular file") }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                let code = errno
                if code == EINTR { continue }
                throw .io(path: path, operation: "read", message: describe(code))
            }
            if count == 0 { break }
            bytes.append(contentsOf: chunk[0..<count])
            guard bytes.count <= FlagsParser.maximumBytes else {
                throw .unsupported(path: path, reason: "it is larger than \(FlagsParser.maximumBytes) bytes")
            }
        }
        return (bytes, FlagsVersion(of: bytes))
    }

    /// Replaces the file at `path` with `bytes` if its current version is
    /// `expectedVersion`, and returns the new version. The bytes are written
    /// as given: validate them first (`FlagsDocument.applying`).
    @discardableResult
    public static func replace(path: String, with bytes: [UInt8], expectedVersion: FlagsVersion)
        throws(FlagsWriteError) -> FlagsVersion
    {
        let path = URL(fileURLWithPath: path).standardized.path
        let directory = parent(of: path)
        let name = String(path[path.index(after: path.lastIndex(of: "/")!)...])
        let lock = try Lock(path: directory + "/." + name + ".lock")
        defer { lock.release() }

        let current = try read(path: path).version
        guard current == expectedVersion else {
            throw .versionMismatch(path: path, expected: expectedVersion, current: current)
        }
        switch try layout(of: path, directory: directory) {
        case .file(let mode):
            let temporary = try writeTemporary(bytes, in: directory, prefix: "." + name + ".tmp-", mode: mode, for: path)
            try swap(temporary, over: path, directory: directory)
        case .linkToFile(let linkText, let target, let mode):
            let targetDirectory = parent(of: target)
            let file = try writeTemporary(
                bytes, in: targetDirectory, prefix: name + ".v-" + stamp("yyyyMMdd'T'HHmmss'Z'") + "-", mode: mode,
                for: path)
            try fsyncDirectory(targetDirectory, for: path)
            let newBase = String(file[file.index(after: file.lastIndex(of: "/")!)...])
            let newText =
                linkText.contains("/") ? parent(of: linkText) + "/" + newBase : newBase
            try relink(path, to: newText, temporaryName: "." + name + ".link-tmp", directory: directory)
            let oldBase = String(target[target.index(after: target.lastIndex(of: "/")!)...])
            if oldBase.hasPrefix(name + ".v-") { unlink(target) }
        case .configMap(let dataLink, let dataDirectory, let fileName):
            let fresh = try makeDirectory(in: directory, prefix: ".." + stamp("yyyy_MM_dd_HH_mm_ss") + ".", for: path)
            do throws(FlagsWriteError) {
                try copyDirectory(
                    from: directory + "/" + dataDirectory, to: fresh, replacing: fileName, with: bytes, for: path)
                try fsyncDirectory(fresh, for: path)
                let freshBase = String(fresh[fresh.index(after: fresh.lastIndex(of: "/")!)...])
                try relink(directory + "/" + dataLink, to: freshBase, temporaryName: dataLink + "_tmp", directory: directory)
            } catch {
                removeTree(fresh)
                throw error
            }
            // A reader that resolved ..data a moment ago may still be opening
            // the old file; it then fails to open (as with the kubelet) rather
            // than read anything partial.
            removeTree(directory + "/" + dataDirectory)
        }
        return FlagsVersion(of: bytes)
    }

    // MARK: - Layouts

    enum Layout: Equatable {
        case file(mode: mode_t)
        /// `path -> linkText`, which resolves to the regular file `target`.
        case linkToFile(linkText: String, target: String, mode: mode_t)
        /// `path -> dataLink/fileName`, `dataLink -> dataDirectory`, all three names in path's directory.
        case configMap(dataLink: String, dataDirectory: String, fileName: String)
    }

    static func layout(of path: String, directory: String) throws(FlagsWriteError) -> Layout {
        var info = stat()
        guard lstat(path, &info) == 0 else { throw .io(path: path, operation: "lstat", message: describe(errno)) }
        switch info.st_mode & S_IFMT {
        case S_IFREG:
            return .file(mode: info.st_mode & 0o7777)
        case S_IFLNK:
            break
        default:
            throw .unsupported(path: path, reason: "it is neither a regular file nor a symlink")
        }
        let linkText = try readLink(path)
        let parts = linkText.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        if !linkText.hasPrefix("/"), parts.count == 2, isSymlink(directory + "/" + parts[0]) {
            let dataLink = parts[0]
            let dataDirectory = try readLink(directory + "/" + dataLink)
            guard !dataDirectory.contains("/"), dataDirectory != ".", dataDirectory != "..",
                isDirectory(directory + "/" + dataDirectory)
            else {
                throw .unsupported(
                    path: path,
                    reason: "\(dataLink) points to \(dataDirectory), not to a directory beside it (a ConfigMap's ..data does)")
            }
            return .configMap(dataLink: dataLink, dataDirectory: dataDirectory, fileName: parts[1])
        }
        let target = linkText.hasPrefix("/") ? linkText : directory + "/" + linkText
        var targetInfo = stat()
        guard lstat(target, &targetInfo) == 0 else {
            throw .unsupported(path: path, reason: "its link target \(linkText) cannot be examined: \(describe(errno))")
        }
        guard targetInfo.st_mode & S_IFMT == S_IFREG else {
            throw .unsupported(
                path: path,
                reason:
                    "its link target \(linkText) is not a regular file (supported: a file, a link to a file, a ConfigMap's ..data layout)"
            )
        }
        return .linkToFile(linkText: linkText, target: target, mode: targetInfo.st_mode & 0o7777)
    }

    // MARK: - Steps

    /// A new file in `directory` holding `bytes`, fsynced, with `mode`; its path.
    private static func writeTemporary(
        _ bytes: [UInt8], in directory: String, prefix: String, mode: mode_t, for path: String
    ) throws(FlagsWriteError) -> String {
        var template = Array((directory + "/" + prefix + "XXXXXX").utf8CString)
        let (descriptor, temporary) = template.withUnsafeMutableBufferPointer { buffer in
            let descriptor = mkstemp(buffer.baseAddress!)
            return (descriptor, String(cString: buffer.baseAddress!))
        }
        guard descriptor >= 0 else { throw .io(path: path, operation: "create a temporary file", message: describe(errno)) }
        do throws(FlagsWriteError) {
            defer { close(descriptor) }
            guard fchmod(descriptor, mode) == 0 else { throw FlagsWriteError.io(path: path, operation: "fchmod", message: describe(errno)) }
            try writeAll(bytes, to: descriptor, for: path)
            guard fsync(descriptor) == 0 else { throw FlagsWriteError.io(path: path, operation: "fsync", message: describe(errno)) }
        } catch {
            unlink(temporary)
            throw error
        }
        return temporary
    }

    private static func writeAll(_ bytes: [UInt8], to descriptor: Int32, for path: String) throws(FlagsWriteError) {
        var offset = 0
        while offset < bytes.count {
            let count = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress! + offset, $0.count - offset) }
            if count < 0 {
                let code = errno
                if code == EINTR { continue }
                throw .io(path: path, operation: "write", message: describe(code))
            }
            offset += count
        }
    }

    private static func swap(_ temporary: String, over path: String, directory: String) throws(FlagsWriteError) {
        guard rename(temporary, path) == 0 else {
            let code = errno
            unlink(temporary)
            throw .io(path: path, operation: "rename", message: describe(code))
        }
        try fsyncDirectory(directory, for: path)
    }

    /// Points `link` at `text` atomically: a new link under `temporaryName`
    /// beside it, renamed over it, and the directory fsynced.
    private static func relink(_ link: String, to text: String, temporaryName: String, directory: String)
        throws(FlagsWriteError)
    {
        let temporary = directory + "/" + temporaryName
        unlink(temporary)  // left by a writer that died between the two steps; we hold the lock
        guard symlink(text, temporary) == 0 else {
            throw .io(path: link, operation: "symlink", message: describe(errno))
        }
        try swap(temporary, over: link, directory: directory)
    }

    private static func makeDirectory(in directory: String, prefix: String, for path: String) throws(FlagsWriteError)
        -> String
    {
        var template = Array((directory + "/" + prefix + "XXXXXX").utf8CString)
        let made = template.withUnsafeMutableBufferPointer { buffer in
            mkdtemp(buffer.baseAddress!).map { String(cString: $0) }
        }
        guard let made else { throw .io(path: path, operation: "mkdtemp", message: describe(errno)) }
        // mkdtemp makes it 0700; a ConfigMap's directories are world-readable.
        chmod(made, 0o755)
        return made
    }

    /// Copies every regular file of `source` into `destination`, with
    /// `replacing`'s content swapped for `bytes`, each fsynced.
    private static func copyDirectory(
        from source: String, to destination: String, replacing: String, with bytes: [UInt8], for path: String
    ) throws(FlagsWriteError) {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: source)
        } catch {
            throw .io(path: path, operation: "list \(source)", message: "\(error)")
        }
        for entry in names.sorted() {
            var info = stat()
            guard lstat(source + "/" + entry, &info) == 0 else {
                throw .io(path: path, operation: "lstat \(source)/\(entry)", message: describe(errno))
            }
            guard info.st_mode & S_IFMT == S_IFREG else {
                throw .unsupported(path: path, reason: "\(source)/\(entry) is not a regular file; only flat data directories are copied")
            }
            let content: [UInt8]
            if entry == replacing {
                content = bytes
            } else {
                guard let data = FileManager.default.contents(atPath: source + "/" + entry) else {
                    throw .io(path: path, operation: "read \(source)/\(entry)", message: "unreadable")
                }
                content = Array(data)
            }
            let written = try writeTemporary(content, in: destination, prefix: ".copy-", mode: info.st_mode & 0o7777, for: path)
            guard rename(written, destination + "/" + entry) == 0 else {
                throw .io(path: path, operation: "rename into \(destination)", message: describe(errno))
            }
        }
        guard names.contains(replacing) else {
            throw .unsupported(path: path, reason: "\(source) has no \(replacing)")
        }
    }

    private static func fsyncDirectory(_ directory: String, for path: String) throws(FlagsWriteError) {
        let descriptor = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { throw .io(path: path, operation: "open \(directory)", message: describe(errno)) }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw .io(path: path, operation: "fsync \(directory)", message: describe(errno)) }
    }

    private static func removeTree(_ directory: String) {
        try? FileManager.default.removeItem(atPath: directory)
    }

    // MARK: - Small helpers

    private static func readLink(_ path: String) throws(FlagsWriteError) -> String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlink(path, &buffer, buffer.count - 1)
        guard count >= 0 else { throw .io(path: path, operation: "readlink", message: describe(errno)) }
        return String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    private static func isSymlink(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFLNK
    }

    private static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFDIR
    }

    /// Everything before the last `/`; `/` for a file at the root.
    static func parent(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    private static func stamp(_ format: String) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = format
        return formatter.string(from: Date())
    }

    private static func describe(_ code: Int32) -> String {
        String(cString: strerror(code))
    }

    /// An exclusive `flock` held for one replace.
    private struct Lock {
        let descriptor: Int32

        init(path: String) throws(FlagsWriteError) {
            descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
            guard descriptor >= 0 else { throw .io(path: path, operation: "open the lock file", message: FlagsFileWriter.describe(errno)) }
            while flock(descriptor, LOCK_EX) != 0 {
                let code = errno
                if code == EINTR { continue }
                close(descriptor)
                throw .io(path: path, operation: "flock", message: FlagsFileWriter.describe(code))
            }
        }

        func release() {
            close(descriptor)  // closing drops the flock
        }
    }
}
