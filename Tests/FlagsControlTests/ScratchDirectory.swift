import Foundation

/// A temporary directory laid out as flags.json is deployed: a plain file,
/// a symlink to a file, or a Kubernetes ConfigMap mount.
final class ScratchDirectory {
    let path: String

    init() throws {
        var template = Array((NSTemporaryDirectory() + "/banyan-flags-control-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
        path = URL(fileURLWithPath: String(cString: made)).standardized.path
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }

    var flagsPath: String { path + "/flags.json" }

    func file(_ name: String) -> String { path + "/" + name }

    func write(_ bytes: [UInt8], to name: String, mode: Int = 0o644) throws {
        try Data(bytes).write(to: URL(fileURLWithPath: file(name)))
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: file(name))
    }

    func link(_ name: String, to target: String) throws {
        guard symlink(target, file(name)) == 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
    }

    func linkText(_ name: String) throws -> String {
        try FileManager.default.destinationOfSymbolicLink(atPath: file(name))
    }

    func entries(_ name: String = "") throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: name.isEmpty ? path : file(name)).sorted()
    }

    /// What the kubelet leaves: `flags.json -> ..data/flags.json`,
    /// `..data -> ..2026_12_02_00_00_00.123`, the files in that directory.
    func configMap(_ files: [String: [UInt8]]) throws {
        let data = "..2026_12_02_00_00_00.123"
        try FileManager.default.createDirectory(atPath: file(data), withIntermediateDirectories: false)
        for (name, bytes) in files { try write(bytes, to: data + "/" + name) }
        try link("..data", to: data)
        for name in files.keys { try link(name, to: "..data/" + name) }
    }
}

func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

/// Polls `condition` until it holds or `seconds` pass; true if it held.
/// A wait for a condition with a deadline, never a sleep standing in for one.
func eventually(within seconds: Double = 2.0, _ condition: () -> Bool) -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if condition() { return true }
        usleep(2_000)
    }
    return condition()
}
