import Flags
import FlagsControl
import Foundation
import Testing

/// Replacing the file: the optimistic check, and each supported layout
/// (plain file, link to a file, ConfigMap) ending as the new bytes.
@Suite("FlagsFileWriter")
struct FileWriterTests {
    static let old = EditTests.shipped.bytes
    static let new = try! EditTests.shipped.applying(.setTenant(module: "auth", tenant: "demo-bistro", home: .service))
        .bytes

    @Test("a plain file is replaced by rename: new content, new version, mode kept, no temporary left")
    func plainFile() throws {
        let directory = try ScratchDirectory()
        try directory.write(Self.old, to: "flags.json", mode: 0o640)
        let version = try FlagsFileWriter.replace(
            path: directory.flagsPath, with: Self.new, expectedVersion: FlagsVersion(of: Self.old))
        #expect(version == FlagsVersion(of: Self.new))
        #expect(try FlagsFileWriter.read(path: directory.flagsPath).bytes == Self.new)
        #expect(try FlagsFileWriter.read(path: directory.flagsPath).version == version)
        let mode = try FileManager.default.attributesOfItem(atPath: directory.flagsPath)[.posixPermissions] as? Int
        #expect(mode == 0o640)
        #expect(try directory.entries() == [".flags.json.lock", "flags.json"])
    }

    @Test("a stale expected version is refused, naming both versions, and nothing is written")
    func staleVersion() throws {
        let directory = try ScratchDirectory()
        try directory.write(Self.new, to: "flags.json")
        #expect(
            throws: FlagsWriteError.versionMismatch(
                path: directory.flagsPath, expected: FlagsVersion(of: Self.old), current: FlagsVersion(of: Self.new))
        ) {
            try FlagsFileWriter.replace(path: directory.flagsPath, with: Self.old, expectedVersion: FlagsVersion(of: Self.old))
        }
        #expect(try FlagsFileWriter.read(path: directory.flagsPath).bytes == Self.new)
        #expect(try directory.entries() == [".flags.json.lock", "flags.json"])
    }

    @Test("a missing file is not created")
    func missing() throws {
        let directory = try ScratchDirectory()
        #expect(throws: FlagsWriteError.missing(path: directory.flagsPath)) {
            try FlagsFileWriter.replace(path: directory.flagsPath, with: Self.new, expectedVersion: FlagsVersion(of: Self.old))
        }
        #expect(!FileManager.default.fileExists(atPath: directory.flagsPath))
    }

    @Test("a ConfigMap mount: a new data directory with every file, ..data swapped, the old directory removed")
    func configMap() throws {
        let directory = try ScratchDirectory()
        try directory.configMap(["flags.json": Self.old, "other.yaml": bytes("keep: me\n")])
        try FlagsFileWriter.replace(path: directory.flagsPath, with: Self.new, expectedVersion: FlagsVersion(of: Self.old))
        #expect(try FlagsFileWriter.read(path: directory.flagsPath).bytes == Self.new)
        #expect(try directory.linkText("flags.json") == "..data/flags.json")
        let data = try directory.linkText("..data")
        #expect(data.hasPrefix("..20") && data != "..2026_12_02_00_00_00.123")
        #expect(try directory.entries() == [data, "..data", ".flags.json.lock", "flags.json", "other.yaml"])
        #expect(try directory.entries(data) == ["flags.json", "other.yaml"])
        #expect(try Array(Data(contentsOf: URL(fileURLWithPath: directory.file("other.yaml")))) == bytes("keep: me\n"))
        let mode = try FileManager.default.attributesOfItem(atPath: directory.file(data))[.posixPermissions] as? Int
        #expect(mode == 0o755)
        // And again, from the directory the first write made.
        try FlagsFileWriter.replace(path: directory.flagsPath, with: Self.old, expectedVersion: FlagsVersion(of: Self.new))
        #expect(try FlagsFileWriter.read(path: directory.flagsPath).bytes == Self.old)
        #expect(try directory.entries().filter { $0.hasPrefix("..2") }.count == 1)
    }

    @Test("a link to a file: a new file beside the target, the link swapped, the operator's file kept, generated ones not")
    func linkToFile() throws {
        let directory = try ScratchDirectory()
        try FileManager.default.createDirectory(atPath: directory.file("releases"), withIntermediateDirectories: false)
        try directory.write(Self.old, to: "releases/a.json", mode: 0o600)
        try directory.link("flags.json", to: "releases/a.json")
        try FlagsFileWriter.replace(path: directory.flagsPath, with: Self.new, expectedVersion: FlagsVersion(of: Self.old))
        #expect(try FlagsFileWriter.read(path: directory.flagsPath).bytes == Self.new)
        let first = try directory.linkText("flags.json")
        #expect(first.hasPrefix("releases/flags.json.v-"))
        let mode = try FileManager.default.attributesOfItem(atPath: directory.file(first))[.posixPermissions] as? Int
        #expect(mode == 0o600)
        #expect(try Array(Data(contentsOf: URL(fileURLWithPath: directory.file("releases/a.json")))) == Self.old)
        try FlagsFileWriter.replace(path: directory.flagsPath, with: Self.old, expectedVersion: FlagsVersion(of: Self.new))
        let second = try directory.linkText("flags.json")
        #expect(second != first && second.hasPrefix("releases/flags.json.v-"))
        #expect(try directory.entries("releases") == ["a.json", String(second.dropFirst("releases/".count))])
        #expect(try directory.entries() == [".flags.json.lock", "flags.json", "releases"])
    }

    @Test("layouts it does not know are refused before anything is written")
    func refusals() throws {
        let directory = try ScratchDirectory()
        try directory.write(Self.old, to: "c.json")
        try directory.link("b.json", to: "c.json")
        try directory.link("flags.json", to: "b.json")
        let version = FlagsVersion(of: Self.old)
        let chain = #expect(throws: FlagsWriteError.self) {
            try FlagsFileWriter.replace(path: directory.flagsPath, with: Self.new, expectedVersion: version)
        }
        #expect(chain.flatMap(reason)?.contains("b.json is not a regular file") == true, "\(String(describing: chain))")
        #expect(try directory.linkText("flags.json") == "b.json")
        #expect(try FlagsFileWriter.read(path: directory.file("c.json")).bytes == Self.old)

        let fifo = try ScratchDirectory()
        #expect(mkfifo(fifo.flagsPath, 0o644) == 0)
        #expect(throws: FlagsWriteError.unsupported(path: fifo.flagsPath, reason: "it is not a regular file")) {
            try FlagsFileWriter.replace(path: fifo.flagsPath, with: Self.new, expectedVersion: version)
        }

        // A ..data link that leaves the directory is not a ConfigMap this writer swaps.
        let outside = try ScratchDirectory()
        let elsewhere = try ScratchDirectory()
        try elsewhere.write(Self.old, to: "flags.json")
        try outside.link("..data", to: elsewhere.path)
        try outside.link("flags.json", to: "..data/flags.json")
        let escape = #expect(throws: FlagsWriteError.self) {
            try FlagsFileWriter.replace(path: outside.flagsPath, with: Self.new, expectedVersion: version)
        }
        #expect(escape.flatMap(reason)?.contains("not to a directory beside it") == true, "\(String(describing: escape))")
        #expect(try FlagsFileWriter.read(path: elsewhere.flagsPath).bytes == Self.old)
    }

    /// The reason of an `.unsupported` refusal, nil for any other error.
    private func reason(_ error: FlagsWriteError) -> String? {
        guard case .unsupported(_, let reason) = error else { return nil }
        return reason
    }

    @Test("versions: sha256 of the bytes, read back from text and entity tags, nothing else")
    func versions() throws {
        let version = FlagsVersion(of: bytes("abc"))
        #expect(version.description == "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(version.etag == "\"sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad\"")
        #expect(FlagsVersion(version.description) == version)
        #expect(FlagsVersion(version.etag) == version)
        #expect(FlagsVersion("W/" + version.etag) == version)
        #expect(FlagsVersion("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad") == nil)
        #expect(FlagsVersion("sha256:BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD") == nil)
        #expect(FlagsVersion("sha256:ba78") == nil)
        #expect(FlagsVersion(of: bytes("abc ")) != version)
        let json = try JSONEncoder().encode([version])
        #expect(String(decoding: json, as: UTF8.self) == "[\"\(version.description)\"]")
        #expect(try JSONDecoder().decode([FlagsVersion].self, from: json) == [version])
    }
}
