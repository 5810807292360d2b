import Synchronization

/// Counts attempts per key (a tenant and username, a client address) in
/// fixed windows: once a key has made `limit` attempts in its window, it is
/// refused until that window ends.
///
/// Memory is bounded by `capacity` keys. A new key that finds the table full
/// first clears expired windows, then the windows with the fewest attempts,
/// and only when every key is at its limit the oldest: a flood of random
/// usernames can neither grow memory nor wash out a lock (or a near-lock)
/// on the username actually under attack.
///
///     let failures = AttemptCounter(limit: 5, window: 300, capacity: 20_000)
///     if let wait = failures.admit("demo-cafe\u{0}admin", now: clock) { refuse(retryAfter: wait) }
final class AttemptCounter: Sendable {
    private struct Window {
        var start: Double
        var count: Int
    }

    let limit: Int
    /// Seconds from a key's first attempt until its count starts again.
    let window: Double
    let capacity: Int
    private let windows = Mutex<[String: Window]>([:])

    init(limit: Int, window: Double, capacity: Int) {
        self.limit = max(1, limit)
        self.window = max(1, window)
        self.capacity = max(8, capacity)
    }

    /// Counts one attempt for `key`, unless it is at its limit: then nothing
    /// is counted and the answer is how many seconds it must wait.
    /// `now` is monotonic seconds.
    func admit(_ key: String, now: Double) -> Double? {
        windows.withLock { windows in
            if var current = windows[key], current.start + window > now {
                guard current.count < limit else { return current.start + window - now }
                current.count += 1
                windows[key] = current
                return nil
            }
            if windows[key] == nil, windows.count >= capacity { evict(&windows, now: now) }
            windows[key] = Window(start: now, count: 1)
            return nil
        }
    }

    /// Takes back one attempt of `key` that turned out not to be a guess
    /// (the database did not answer, no password check ran).
    func forgive(_ key: String) {
        windows.withLock { windows in
            guard var current = windows[key] else { return }
            current.count -= 1
            windows[key] = current.count > 0 ? current : nil
        }
    }

    /// Forgets `key`'s attempts (its owner just proved the password).
    func reset(_ key: String) {
        _ = windows.withLock { $0.removeValue(forKey: key) }
    }

    /// Keys tracked right now: never above `capacity`.
    var trackedKeys: Int { windows.withLock { $0.count } }

    private func evict(_ windows: inout [String: Window], now: Double) {
        // Down to three quarters, so a flood pays for a sweep once per many new keys.
        let target = capacity * 3 / 4
        windows = windows.filter { $0.value.start + window > now }
        var fewest = 1
        while windows.count > target, fewest < limit {
            windows = windows.filter { $0.value.count > fewest }
            fewest += 1
        }
        if windows.count > target {
            let newest = windows.sorted { $0.value.start > $1.value.start }.prefix(target)
            windows = Dictionary(uniqueKeysWithValues: newest.map { ($0.key, $0.value) })
        }
    }
}
