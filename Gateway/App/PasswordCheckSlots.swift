import Dispatch
import Synchronization

/// At most `limit` password checks at once. scrypt is built to cost memory
/// and CPU, so a login flood must never occupy every worker or core: a login
/// that finds no free slot waits `maxWait` seconds at most, and only while
/// no more than `limit` others are already waiting; otherwise it is turned
/// away at once. Logins therefore hold at most `2 × limit` workers.
final class PasswordCheckSlots: Sendable {
    let limit: Int
    let maxWait: Double
    private let free: DispatchSemaphore
    private let waiting = Atomic<Int>(0)

    init(limit: Int, maxWait: Double) {
        self.limit = max(1, limit)
        self.maxWait = max(0, maxWait)
        free = DispatchSemaphore(value: self.limit)
    }

    /// Runs `body` in a slot; nil, without running it, when none frees up in time.
    func withSlot<T>(_ body: () throws -> T) rethrows -> T? {
        guard acquire() else { return nil }
        defer { free.signal() }
        return try body()
    }

    private func acquire() -> Bool {
        if free.wait(timeout: .now()) == .success { return true }
        let queued = waiting.add(1, ordering: .relaxed).newValue
        defer { waiting.subtract(1, ordering: .relaxed) }
        guard queued <= limit else { return false }
        return free.wait(timeout: .now() + maxWait) == .success
    }
}
