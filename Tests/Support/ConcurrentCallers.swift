import Foundation
import Synchronization

/// Many callers at once, each on a thread of its own.
///
/// Real threads, not `concurrentPerform`, which would run only as many at a
/// time as there are cores. A namespace, so these never meet the
/// `runConcurrently` other test targets define for themselves.
package enum ConcurrentCallers {
    /// Runs `body(i)` for i in 0..<count on `count` threads, held at a gate
    /// that opens once every thread exists, and waits up to `timeout`
    /// seconds for every one to finish; true when all did.
    package static func run(_ count: Int, timeout: Double = 120, _ body: @escaping @Sendable (Int) -> Void) -> Bool {
        let gate = DispatchSemaphore(value: 0)
        let group = DispatchGroup()
        for index in 0..<count {
            group.enter()
            let thread = Thread {
                gate.wait()
                body(index)
                group.leave()
            }
            thread.start()
        }
        for _ in 0..<count { gate.signal() }
        return group.wait(timeout: .now() + timeout) == .success
    }

    /// `run` keeping each thread's result, in index order; nil for a thread
    /// still running when `timeout` seconds are up.
    package static func collect<T: Sendable>(
        _ count: Int, timeout: Double = 60, _ body: @escaping @Sendable (Int) -> Result<T, any Error>
    ) -> [Result<T, any Error>?] {
        let results = Mutex<[Result<T, any Error>?]>(Array(repeating: nil, count: count))
        _ = run(count, timeout: timeout) { index in
            let result = body(index)
            results.withLock { $0[index] = result }
        }
        return results.withLock { $0 }
    }
}
