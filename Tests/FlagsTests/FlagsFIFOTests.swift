import Dispatch
import Foundation
import Testing

@testable import Flags

/// A FIFO at the flags path: opening it for reading would block until some
/// writer came, so the watcher must refuse it from a stat alone — at start,
/// on reload, and without holding up shutdown.
@Suite("FlagsStore with a FIFO at the path")
struct FlagsFIFOTests {
    /// Runs `body` on its own thread and reports whether it returned within
    /// `seconds`. A body stuck opening the FIFO is then freed by a writer
    /// opening and closing it, so a failing test fails instead of hanging.
    private func finishes(within seconds: Double, fifo: String, _ body: @escaping @Sendable () -> Void) -> Bool {
        let done = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            body()
            done.signal()
        }
        if done.wait(timeout: .now() + seconds) == .success { return true }
        while done.wait(timeout: .now() + 0.05) == .timedOut {
            let writer = open(fifo, O_WRONLY | O_NONBLOCK | O_CLOEXEC)
            if writer >= 0 { close(writer) }
        }
        return false
    }

    private func makeFIFO(_ path: String) throws {
        guard mkfifo(path, 0o644) == 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
    }

    @Test("a FIFO at start is a prompt startup error naming it")
    func fifoAtStartFailsFast() throws {
        let directory = try FlagsDirectory()
        try makeFIFO(directory.flagsPath)
        let outcome = Outcome()
        let path = directory.flagsPath
        let returned = finishes(within: 2, fifo: path) {
            outcome.set(Result { () throws(FlagsError) -> FlagsStore in try FlagsStore(path: path, log: .discard) })
        }
        #expect(returned, "FlagsStore(path:) blocked on the FIFO")
        guard case .failure(let error)? = outcome.value else {
            Issue.record("a FIFO was accepted as flags.json")
            return
        }
        #expect(error.field == "file")
        #expect(error.message.contains("FIFO"))
        #expect(error.message.contains(path))
    }

    @Test("a FIFO swapped in keeps the last good snapshot, reports it, and shutdown stays prompt")
    func fifoOnReloadKeepsTheLastGood() throws {
        let directory = try FlagsDirectory()
        try directory.writeInPlace(paymentsFlags(tenants: ["demo-cafe": "service"]))
        let store = try FlagsStore(path: directory.flagsPath, pollInterval: 0.01, log: .discard)
        store.start()
        // Atomically, as a deploy tool would swap a file in: the path never vanishes.
        let side = directory.file("flags.fifo")
        try makeFIFO(side)
        guard rename(side, directory.flagsPath) == 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }

        let fifo = directory.flagsPath
        #expect(eventually(within: 2) { store.lastError?.message.contains("FIFO") == true })
        #expect(store.current.version == 1)
        #expect(store.route(module: "payments", tenant: "demo-cafe") == .service)
        #expect(finishes(within: 2, fifo: fifo) { store.reloadNow() }, "reloadNow blocked on the FIFO")
        #expect(store.lastError?.message.contains("FIFO") == true)
        #expect(finishes(within: 2, fifo: fifo) { store.stop() }, "stop() waited on a poller stuck on the FIFO")
    }
}

/// What a store's start produced, handed from the thread that ran it.
private final class Outcome: @unchecked Sendable {
    // @unchecked: every access to `result` holds `lock`.
    private let lock = NSLock()
    private var result: Result<FlagsStore, FlagsError>?

    func set(_ result: Result<FlagsStore, FlagsError>) { lock.withLock { self.result = result } }
    var value: Result<FlagsStore, FlagsError>? { lock.withLock { result } }
}
