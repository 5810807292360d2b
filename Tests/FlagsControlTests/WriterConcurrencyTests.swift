import Flags
import FlagsControl
import Foundation
import Platform
import Synchronization
import Testing

/// The writer against real readers: a watching `FlagsStore` sees every
/// write, two writers from the same version never both win, and a reader
/// never sees anything but a whole version.
@Suite("FlagsFileWriter under concurrency")
struct WriterConcurrencyTests {
    enum Layout: CaseIterable {
        case file, linkToFile, configMap
    }

    /// A directory holding flags.json as `layout` deploys it, with `initial` in it.
    static func deploy(_ layout: Layout, _ initial: [UInt8]) throws -> ScratchDirectory {
        let directory = try ScratchDirectory()
        switch layout {
        case .file:
            try directory.write(initial, to: "flags.json")
        case .linkToFile:
            try directory.write(initial, to: "a.json")
            try directory.link("flags.json", to: "a.json")
        case .configMap:
            try directory.configMap(["flags.json": initial])
        }
        return directory
    }

    /// The n-th of a series of distinct valid files: demo-bistro's payments
    /// rollout at n % 101 with n pins, so each differs in bytes and routing.
    static func series(_ count: Int) throws -> [FlagsDocument] {
        var document = EditTests.shipped
        var documents: [FlagsDocument] = []
        for index in 0..<count {
            document = try document.applying(.setRollout(module: "payments", home: .service, percent: index % 101))
                .applying(.setTenant(module: "orders", tenant: "t-\(index)", home: index % 2 == 0 ? .service : .inProcess))
            documents.append(document)
        }
        return documents
    }

    @Test("a started FlagsStore picks up every write, in every layout", arguments: Layout.allCases)
    func storeSeesEveryWrite(_ layout: Layout) throws {
        let directory = try Self.deploy(layout, EditTests.shipped.bytes)
        let store = try FlagsStore(path: directory.flagsPath, pollInterval: 0.005, log: .discard)
        store.start()
        defer { store.stop() }
        var version = FlagsVersion(of: EditTests.shipped.bytes)
        for document in try Self.series(15) {
            version = try FlagsFileWriter.replace(path: directory.flagsPath, with: document.bytes, expectedVersion: version)
            let expected = document.snapshot
            let seen = eventually(within: 10) { store.current.modules == expected.modules && store.current.services == expected.services }
            #expect(seen, "\(layout): not picked up: \(FlagsPreview(from: store.current, to: expected, tenants: [String]()))")
            #expect(store.lastError == nil)
        }
        // One load per write. Through a link, a poll that straddles a swap may
        // find the old target gone and load the same bytes again afterwards.
        if layout == .file {
            #expect(store.current.version == 16)
        } else {
            #expect(store.current.version >= 16)
        }
    }

    @Test("two writers from the same version: exactly one wins, the other gets versionMismatch", arguments: Layout.allCases)
    func racingWriters(_ layout: Layout) throws {
        let directory = try Self.deploy(layout, EditTests.shipped.bytes)
        for round in 0..<40 {
            let (current, version) = try FlagsFileWriter.read(path: directory.flagsPath)
            // Two candidates from the same current document, different from each other and from it.
            let base = try FlagsDocument(parsing: current)
            let mine = try base.applying(.setTenant(module: "auth", tenant: "r-\(round)", home: .service)).bytes
            let theirs = try base.applying(.setTenant(module: "auth", tenant: "r-\(round)", home: .inProcess)).bytes
            let outcomes = Shared<[Result<FlagsVersion, FlagsWriteError>]>([])
            let start = DispatchSemaphore(value: 0)
            let group = DispatchGroup()
            let path = directory.flagsPath
            for bytes in [mine, theirs] {
                group.enter()
                Thread.detachNewThread {
                    defer { group.leave() }
                    start.wait()
                    let result = Result { () throws(FlagsWriteError) -> FlagsVersion in
                        try FlagsFileWriter.replace(path: path, with: bytes, expectedVersion: version)
                    }
                    outcomes.withLock { $0.append(result) }
                }
            }
            // Both threads are released together, so they race for the lock.
            start.signal()
            start.signal()
            #expect(group.wait(timeout: .now() + 10) == .success)
            let results = outcomes.withLock { $0 }
            let winners = results.compactMap { try? $0.get() }
            #expect(winners.count == 1, "round \(round): \(results)")
            let (after, afterVersion) = try FlagsFileWriter.read(path: directory.flagsPath)
            #expect(winners == [afterVersion])
            #expect(after == mine || after == theirs)
            for case .failure(let error) in results {
                #expect(error == .versionMismatch(path: directory.flagsPath, expected: version, current: afterVersion))
            }
        }
    }

    @Test("200 writes while a reader hammers the path: every read is a whole version", arguments: Layout.allCases)
    func noPartialReads(_ layout: Layout) throws {
        let documents = try Self.series(200)
        let initial = EditTests.shipped.bytes
        let directory = try Self.deploy(layout, initial)
        let whole = Set([initial] + documents.map(\.bytes))
        let stop = Shared(false)
        let tally = Shared<(reads: Int, partial: Int, failed: Int)>((0, 0, 0))
        let finished = DispatchSemaphore(value: 0)
        let path = directory.flagsPath
        Thread.detachNewThread {
            defer { finished.signal() }
            while !stop.withLock({ $0 }) {
                switch Result(catching: { () throws(FlagsWriteError) in try FlagsFileWriter.read(path: path) }) {
                case .success(let read):
                    let isWhole = whole.contains(read.bytes)
                    tally.withLock { $0.reads += 1; if !isWhole { $0.partial += 1 } }
                case .failure:
                    tally.withLock { $0.failed += 1 }
                }
            }
        }
        var version = FlagsVersion(of: initial)
        for document in documents {
            version = try FlagsFileWriter.replace(path: path, with: document.bytes, expectedVersion: version)
        }
        stop.withLock { $0 = true }
        finished.wait()
        let (reads, partial, failed) = tally.withLock { $0 }
        #expect(reads > 200)
        #expect(partial == 0)
        // A rename over a file never leaves the path missing. A link swap
        // can, briefly: a read that followed the old link just before it
        // moved may find the old target removed (the kubelet's own window) —
        // a failed open, never a partial read.
        if layout == .file { #expect(failed == 0) }
        #expect(try FlagsFileWriter.read(path: path).bytes == documents.last?.bytes)
    }
}

/// A value threads share, behind a lock (a `Mutex` itself cannot be captured by a thread's closure).
final class Shared<Value: Sendable>: Sendable {
    private let mutex: Mutex<Value>

    init(_ value: Value) { mutex = Mutex(value) }

    func withLock<Result>(_ body: (inout sending Value) -> sending Result) -> sending Result {
        mutex.withLock(body)
    }
}
