import Foundation
import Synchronization

/// A temporary directory with a flags.json in it, changed the ways operators
/// and deploy tools change it: in place, by atomic rename, by symlink swap.
final class FlagsDirectory {
    let path: String

    init() throws {
        var template = Array((NSTemporaryDirectory() + "/banyan-flags-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
        path = String(cString: made)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }

    var flagsPath: String { path + "/flags.json" }

    func file(_ name: String) -> String { path + "/" + name }

    /// Truncates and rewrites the same inode, as an editor without "safe write" does.
    func writeInPlace(_ text: String, name: String = "flags.json") throws {
        let descriptor = open(file(name), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
        defer { close(descriptor) }
        let bytes = Array(text.utf8)
        let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        guard written == bytes.count else { throw POSIXError(.EIO) }
    }

    /// Writes a temporary file beside it and renames it over flags.json: a new inode.
    func writeAtomically(_ text: String) throws {
        let temporary = file(".flags.json.tmp")
        try writeInPlace(text, name: ".flags.json.tmp")
        guard rename(temporary, flagsPath) == 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
    }

    /// Points flags.json at `target` the way `ln -sfn` should be done: a new
    /// link beside it, renamed over the old one, so the path never vanishes.
    func pointLink(to target: String) throws {
        let temporary = file(".flags.json.link")
        unlink(temporary)
        guard symlink(target, temporary) == 0, rename(temporary, flagsPath) == 0 else {
            throw POSIXError(.init(rawValue: errno) ?? .EIO)
        }
    }

    func removeFlags() throws {
        guard unlink(flagsPath) == 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
    }
}

/// flags.json text for the payments module; `rollout` is the JSON text of its
/// `rollout` member (`{"service": 10}`), left out when nil.
func paymentsFlags(
    default route: String = "in-process", tenants: [String: String] = [:], rollout: String? = nil,
    url: String = "http://127.0.0.1:4004"
) -> String {
    let tenantMembers = tenants.sorted { $0.key < $1.key }.map { "\"\($0.key)\": \"\($0.value)\"" }
    let rolloutMember = rollout.map { ", \"rollout\": \($0)" } ?? ""
    return """
        {
          "services": { "payments": "\(url)" },
          "modules": { "payments": { "default": "\(route)", "tenants": { \(tenantMembers.joined(separator: ", ")) }\(rolloutMember) } }
        }
        """
}

/// Pads JSON text with trailing spaces to `length` bytes, so two versions of
/// a file can have the same size (only content and mtime tell them apart).
func padded(_ text: String, to length: Int = 400) -> String {
    precondition(text.utf8.count <= length)
    return text + String(repeating: " ", count: length - text.utf8.count)
}

/// Polls `condition` until it holds or `seconds` pass; true if it held.
/// A wait for a condition with a deadline, never a sleep standing in for one.
func eventually(within seconds: Double = 1.0, _ condition: () -> Bool) -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if condition() { return true }
        usleep(2_000)
    }
    return condition()
}

/// Seconds `body` took.
func elapsed(_ body: () -> Bool) -> (Bool, Double) {
    let start = DispatchTime.now().uptimeNanoseconds
    let result = body()
    return (result, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
}
