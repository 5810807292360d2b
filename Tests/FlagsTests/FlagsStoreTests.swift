import Foundation
import Platform
import Testing

@testable import Flags

/// The watcher: each way flags.json changes in the field is picked up within
/// a second, and no bad file ever replaces a good one.
@Suite("FlagsStore")
struct FlagsStoreTests {
    static let cafeOnService = padded(paymentsFlags(tenants: ["demo-cafe": "service"]))
    static let cafeInProcess = padded(paymentsFlags(tenants: ["demo-cafe": "in-process"]))

    private func cafeRoute(_ store: FlagsStore) -> ModuleRoute {
        store.current.route(module: "payments", tenant: "demo-cafe")
    }

    @Test("loads at once, with the absolute path as source and version 1")
    func loadsAtStart() throws {
        let directory = try FlagsDirectory()
        try directory.writeInPlace(Self.cafeOnService)
        let store = try FlagsStore(path: directory.flagsPath, log: .discard)
        #expect(store.current.version == 1)
        #expect(store.current.source == directory.flagsPath)
        #expect(store.path == directory.flagsPath)
        #expect(cafeRoute(store) == .service)
        #expect(store.route(module: "payments", tenant: "demo-cafe") == .service)
        #expect(store.route(module: "payments", tenant: "demo-bistro") == .inProcess)
        #expect(store.lastError == nil)
        #expect(store.reloadNow() == false)
    }

    @Test("an in-place rewrite of the same size is picked up within a second")
    func inPlaceRewrite() throws {
        let directory = try FlagsDirectory()
        try directory.writeInPlace(Self.cafeInProcess)
        let store = try FlagsStore(path: directory.flagsPath, log: .discard)
        store.start()
        defer { store.stop() }
        // Same inode, same size, probably the same second: only the content (and maybe mtime) differs.
        try directory.writeInPlace(Self.cafeOnService)
        let (reloaded, seconds) = elapsed { eventually { cafeRoute(store) == .service } }
        #expect(reloaded, "not reloaded after \(seconds) s")
        #expect(store.current.version == 2)
    }

    @Test("an atomic rename (write a temporary file, rename it over) is picked up within a second")
    func atomicRename() throws {
        let directory = try FlagsDirectory()
        try directory.writeInPlace(Self.cafeInProcess)
        let store = try FlagsStore(path: directory.flagsPath, log: .discard)
        store.start()
        defer { store.stop() }
        try directory.writeAtomically(Self.cafeOnService)
        #expect(eventually { cafeRoute(store) == .service })
        try directory.writeAtomically(Self.cafeInProcess)
        #expect(eventually { cafeRoute(store) == .inProcess })
        #expect(store.current.version == 3)
    }

    @Test("a symlink swap (flags.json → a.json, then → b.json by renaming a new link) is picked up within a second")
    func symlinkSwap() throws {
        let directory = try FlagsDirectory()
        try directory.writeInPlace(Self.cafeInProcess, name: "a.json")
        try directory.writeInPlace(Self.cafeOnService, name: "b.json")
        try directory.pointLink(to: "a.json")
        let store = try FlagsStore(path: directory.flagsPath, log: .discard)
        #expect(cafeRoute(store) == .inProcess)
        store.start()
        defer { store.stop() }
        try directory.pointLink(to: "b.json")
        #expect(eventually { cafeRoute(store) == .service })
        try directory.pointLink(to: "a.json")
        #expect(eventually { cafeRoute(store) == .inProcess })
        // The source stays the watched path, not the file it pointed at.
        #expect(store.current.source == directory.flagsPath)
        // And a write through the link to the file it points at counts too.
        try directory.writeInPlace(Self.cafeOnService, name: "a.json")
        #expect(eventually { cafeRoute(store) == .service })
    }

    @Test("an invalid write keeps the last good snapshot and sets lastError; a later valid write clears it")
    func invalidWriteKeepsLastGood() throws {
        let directory = try FlagsDirectory()
        try directory.writeInPlace(Self.cafeOnService)
        let store = try FlagsStore(path: directory.flagsPath, log: .discard)
        store.start()
        defer { store.stop() }
        let good = store.current

        try directory.writeAtomically(paymentsFlags(tenants: ["demo-cafe": "servce"]))
        #expect(eventually { store.lastError != nil })
        let error = try #require(store.lastError)
        #expect(error.message.hasPrefix("modules.payments.tenants.demo-cafe: "), "\(error.message)")
        #expect(store.current == good)

        try directory.writeAtomically("{ not json")
        #expect(eventually { store.lastError?.message.hasPrefix("json: ") == true })
        #expect(store.current == good)

        try directory.writeAtomically(Self.cafeInProcess)
        #expect(eventually { store.lastError == nil })
        #expect(cafeRoute(store) == .inProcess)
        // Refused files do not use up versions.
        #expect(store.current.version == good.version + 1)
    }

    @Test("a deleted file keeps the last good snapshot with an error, until the file is back")
    func deletedFile() throws {
        let directory = try FlagsDirectory()
        try directory.writeInPlace(Self.cafeOnService)
        let store = try FlagsStore(path: directory.flagsPath, log: .discard)
        store.start()
        defer { store.stop() }
        let good = store.current

        try directory.removeFlags()
        #expect(eventually { store.lastError != nil })
        #expect(store.lastError?.message == "file: \(directory.flagsPath) does not exist")
        #expect(store.current == good)

        // Back with the very same content: a good load again, and the error goes.
        try directory.writeAtomically(Self.cafeOnService)
        #expect(eventually { store.lastError == nil })
        #expect(cafeRoute(store) == .service)
    }

    @Test("a missing file at start means the defaults, and the file is loaded when it appears")
    func missingAtStart() throws {
        let directory = try FlagsDirectory()
        let store = try FlagsStore(path: directory.flagsPath, log: .discard)
        #expect(store.current == .defaults)
        #expect(store.lastError?.message.contains("does not exist") == true)
        #expect(store.reloadNow() == false)

        try directory.writeAtomically(Self.cafeOnService)
        #expect(store.reloadNow() == true)
        #expect(store.current.version == 1)
        #expect(cafeRoute(store) == .service)
        #expect(store.lastError == nil)
    }

    @Test("an invalid file at start throws, naming the field")
    func invalidAtStartThrows() throws {
        let directory = try FlagsDirectory()
        try directory.writeInPlace(#"{"modules": {"payments": {"default": "service"}}}"#)
        #expect(throws: FlagsError.self) { try FlagsStore(path: directory.flagsPath, log: .discard) }
        do {
            _ = try FlagsStore(path: directory.flagsPath, log: .discard)
        } catch {
            #expect(error.field == "services.payments")
        }
    }

    @Test("an unreadable path at start throws too")
    func unreadableAtStartThrows() throws {
        let directory = try FlagsDirectory()
        try FileManager.default.createDirectory(atPath: directory.flagsPath, withIntermediateDirectories: false)
        do {
            _ = try FlagsStore(path: directory.flagsPath, log: .discard)
            Issue.record("a directory was accepted as flags.json")
        } catch {
            #expect(error.field == "file")
            #expect(error.message.contains("not a regular file"))
        }
    }

    @Test("allowInvalidAtStart starts on the defaults with lastError, and loads the fixed file")
    func invalidAtStartAllowed() throws {
        let directory = try FlagsDirectory()
        try directory.writeInPlace(#"{"modules": {"payments": {"default": "service"}}}"#)
        let store = try FlagsStore(path: directory.flagsPath, allowInvalidAtStart: true, log: .discard)
        #expect(store.current == .defaults)
        #expect(store.lastError?.message.hasPrefix("services.payments: ") == true)
        #expect(store.reloadNow() == false)
        try directory.writeAtomically(Self.cafeOnService)
        #expect(store.reloadNow() == true)
        #expect(store.lastError == nil)
        #expect(store.current.version == 1)
    }

    @Test("knownModules refuses a module Banyan does not have")
    func knownModules() throws {
        let directory = try FlagsDirectory()
        try directory.writeInPlace(#"{"modules": {"paymnts": {"default": "in-process"}}}"#)
        #expect(throws: FlagsError.self) {
            try FlagsStore(path: directory.flagsPath, knownModules: ["payments"], log: .discard)
        }
    }

    @Test("the same bytes under a new identity (touch, identical swap) load nothing new")
    func sameContentIsNotAReload() throws {
        let directory = try FlagsDirectory()
        try directory.writeInPlace(Self.cafeOnService)
        let store = try FlagsStore(path: directory.flagsPath, log: .discard)
        try directory.writeAtomically(Self.cafeOnService)
        #expect(store.reloadNow() == false)
        #expect(store.current.version == 1)
        try directory.writeAtomically(Self.cafeInProcess)
        #expect(store.reloadNow() == true)
        #expect(store.current.version == 2)
    }

    @Test("a file that stays broken is warned about once per distinct error")
    func warnsOncePerError() throws {
        let directory = try FlagsDirectory()
        let logPath = directory.file("log.jsonl")
        let descriptor = open(logPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        try #require(descriptor >= 0)
        defer { close(descriptor) }
        let log = Log(fileDescriptor: descriptor)
        try directory.writeInPlace(Self.cafeOnService)
        let store = try FlagsStore(path: directory.flagsPath, log: log)

        try directory.writeAtomically(paymentsFlags(default: "remote"))
        for _ in 0..<5 { store.reloadNow() }
        try directory.writeAtomically(paymentsFlags(default: "remote") + " ")  // new bytes, same error
        for _ in 0..<5 { store.reloadNow() }
        try directory.writeAtomically(paymentsFlags(default: "elsewhere") + "\n\n")  // still the same message
        store.reloadNow()
        try directory.writeAtomically("[]")  // a different error
        for _ in 0..<5 { store.reloadNow() }
        log.flush()

        let lines = try String(contentsOfFile: logPath, encoding: .utf8).split(separator: "\n")
        let warnings = lines.filter { $0.contains(#""level":"warning""#) }
        #expect(warnings.count == 2, "\(warnings)")
        #expect(warnings.first?.contains("modules.payments.default") == true)
        #expect(lines.contains { $0.contains("flags loaded") && $0.contains("payments[demo-cafe]: in-process → service") })
    }

    @Test("stop() returns at once, without waiting out a long poll interval")
    func stopIsPrompt() throws {
        let directory = try FlagsDirectory()
        try directory.writeInPlace(Self.cafeOnService)
        let store = try FlagsStore(path: directory.flagsPath, pollInterval: 60, log: .discard)
        store.start()
        store.start()  // a second start is a no-op
        let (_, seconds) = elapsed {
            store.stop()
            return true
        }
        #expect(seconds < 1)
        store.stop()  // and so is a second stop
    }

    @Test("racily clean: a stat taken within the timestamp granularity of the read does not prove the file unchanged")
    func raciness() {
        func identity(modifiedAt seconds: Int) -> FlagsFile.Identity {
            var time = timespec()
            time.tv_sec = seconds
            return FlagsFile.Identity(
                linkTarget: nil, device: 1, inode: 1, size: 10, modified: .init(time), changed: .init(time))
        }
        func readAt(_ seconds: Int) -> FlagsFile.Timestamp {
            var time = timespec()
            time.tv_sec = seconds
            return .init(time)
        }
        #expect(FlagsFile.mayHaveChangedUnseen(identity(modifiedAt: 100), lastReadAt: readAt(100)))
        #expect(FlagsFile.mayHaveChangedUnseen(identity(modifiedAt: 100), lastReadAt: readAt(102)))
        #expect(!FlagsFile.mayHaveChangedUnseen(identity(modifiedAt: 100), lastReadAt: readAt(103)))
    }
}
