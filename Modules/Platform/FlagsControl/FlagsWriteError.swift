import Flags

/// Why `FlagsFileWriter` did not replace a flags file. In every case the
/// file at the path is still the old version.
public enum FlagsWriteError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file is no longer the version the change was computed from:
    /// someone else wrote it first (HTTP 412 for an `If-Match`). Re-read, re-preview, retry.
    case versionMismatch(path: String, expected: FlagsVersion, current: FlagsVersion)
    /// There is no file at `path` to replace.
    case missing(path: String)
    /// `path` is laid out in a way the writer does not replace (see `FlagsFileWriter`).
    case unsupported(path: String, reason: String)
    /// A system call failed before the new version was in place.
    case io(path: String, operation: String, message: String)

    public var description: String {
        switch self {
        case .versionMismatch(let path, let expected, let current):
            "\(path) changed: expected \(expected), found \(current)"
        case .missing(let path): "\(path) does not exist"
        case .unsupported(let path, let reason): "\(path): not replaced: \(reason)"
        case .io(let path, let operation, let message): "\(path): \(operation) failed: \(message)"
        }
    }
}
