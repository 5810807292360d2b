import BanyanTestSupport
import Foundation
import Postgres
import Synchronization

/// Runs `body` with `module`'s pool in a fresh test database of its own,
/// sized `size`, and always shuts that database down: for the test whose
/// pool must differ from its suite's.
func withPool<Result>(
    of module: ModuleSchema, size: Int, prefix: String, _ body: (PostgresPool) throws -> Result
) throws -> Result {
    let database = try TestDatabase.open(modules: [module], prefix: prefix, poolSize: size)
    defer { database.shutdown() }
    return try body(database.pool(for: module.name))
}

/// A superuser connection to a fresh database of its own.
func freshConnection(_ prefix: String) throws -> PostgresConnection {
    try PostgresConnection(conninfo: TestDatabase.makeDatabase(prefix))
}

/// Runs `body` on `count` threads at once and returns what each threw, if anything.
/// Waits at most `timeout` seconds; a thread still running then is reported as a hang.
func runConcurrently(_ count: Int, timeout: Double = 60, _ body: @escaping @Sendable (Int) throws -> Void) -> [String] {
    let failures = Mutex<[String]>([])
    let finished = DispatchSemaphore(value: 0)
    let start = Barrier(parties: count)
    for index in 0..<count {
        let thread = Thread {
            start.arriveAndWait(timeout: timeout)
            do {
                try body(index)
            } catch {
                failures.withLock { $0.append("thread \(index): \(String(reflecting: error))") }
            }
            finished.signal()
        }
        thread.start()
    }
    for _ in 0..<count where finished.wait(timeout: .now() + timeout) == .timedOut {
        failures.withLock { $0.append("a thread did not finish within \(timeout) s") }
    }
    return failures.withLock { $0 }
}

/// Lets `parties` threads meet before going on, with a deadline so a broken
/// test fails instead of hanging.
final class Barrier: @unchecked Sendable {
    // @unchecked: `arrived` is only touched with `condition` locked.
    private let condition = NSCondition()
    private let parties: Int
    private var arrived = 0

    init(parties: Int) { self.parties = parties }

    @discardableResult
    func arriveAndWait(timeout: Double) -> Bool {
        let deadline = Date(timeIntervalSinceNow: timeout)
        condition.lock()
        defer { condition.unlock() }
        arrived += 1
        condition.broadcast()
        while arrived < parties {
            if !condition.wait(until: deadline) && arrived < parties { return false }
        }
        return true
    }
}
