import Synchronization

/// The users whose older tokens this process must refuse, held in memory so
/// the check costs a lock and a dictionary lookup, never a database read.
///
/// Each entry maps a user id (a token's `sub`) to the first second a token of
/// theirs may have been issued in (`iat`) to still be honoured. `RevocationFeed`
/// fills it from `auth.users.tokens_valid_after`; the gateway asks it on every
/// authenticated request.
///
///     let revoked = RevocationList()
///     revoked.record(user: id, revokedBefore: 1_767_000_001)
///     revoked.isRevoked(user: id, issuedAt: 1_767_000_000)  // true
package final class RevocationList: Sendable {
    private let entries = Mutex<[String: Int]>([:])
    /// Mirrors `entries.count`, so the usual case (nobody revoked lately) skips the lock.
    private let size = Atomic<Int>(0)

    package init() {}

    /// True when `user`'s token issued at `issuedAt` (unix seconds) was revoked.
    package func isRevoked(user: String, issuedAt: Int) -> Bool {
        guard size.load(ordering: .acquiring) > 0 else { return false }
        guard let revokedBefore = entries.withLock({ $0[user] }) else { return false }
        return issuedAt < revokedBefore
    }

    /// Refuses `user`'s tokens issued before `revokedBefore` (unix seconds).
    /// A later revocation never gives way to an earlier one read again.
    package func record(user: String, revokedBefore: Int) {
        entries.withLock { entries in
            entries[user] = max(entries[user] ?? .min, revokedBefore)
            size.store(entries.count, ordering: .releasing)
        }
    }

    /// Forgets revocations older than `cutoff`: every token they refused has expired by then.
    package func forget(revokedBefore cutoff: Int) {
        entries.withLock { entries in
            guard entries.values.contains(where: { $0 < cutoff }) else { return }
            entries = entries.filter { $0.value >= cutoff }
            size.store(entries.count, ordering: .releasing)
        }
    }

    package var count: Int { size.load(ordering: .acquiring) }
}
