import Dispatch
import Foundation
import Platform
import Postgres
import Synchronization

/// Keeps a `RevocationList` current from `auth.users.tokens_valid_after`,
/// polling about once a second, so that disabling or demoting a user takes
/// effect on every gateway within a few seconds while requests themselves
/// never read the database.
///
/// Each poll reads only the rows revoked since the previous successful one
/// (with an overlap, see `overlap`); the first reads the last token lifetime.
/// Entries are dropped once every token they could refuse has expired.
package final class RevocationFeed: Sendable {
    package let list: RevocationList
    private let pool: PostgresPool
    private let tokenLifetime: Int
    private let interval: Double
    private let log: Log
    /// Monotonic nanoseconds at the start of the last successful poll; nil before the first.
    private let lastPoll = Mutex<UInt64?>(nil)
    private let thread = Mutex<PollingThread?>(nil)

    /// A revocation is stamped with its transaction's clock but becomes
    /// visible at commit, possibly after a poll that started later: each poll
    /// looks this far behind the previous one so none slips between two polls.
    static let overlap: Double = 60

    /// Tokens stay acceptable this long past `exp` (JWTSigner's leeway), so
    /// entries outlive the token lifetime by at least as much.
    static let expiryLeeway = 60

    /// - Parameters:
    ///   - tokenLifetime: seconds an access token lives (`AuthService.tokenLifetime`).
    ///   - interval: seconds between polls; `BANYAN_REVOCATION_POLL_MS`, 1000 by default.
    package init(
        pool: PostgresPool, list: RevocationList = RevocationList(), tokenLifetime: Int,
        interval: Double = Double(Configuration.int("BANYAN_REVOCATION_POLL_MS", default: 1000)) / 1000,
        log: Log = .shared
    ) {
        self.pool = pool
        self.list = list
        self.tokenLifetime = tokenLifetime
        self.interval = max(0.05, interval)
        self.log = log
    }

    /// One poll: reads what was revoked since the last one into the list.
    package func refresh() throws {
        let started = DispatchTime.now().uptimeNanoseconds
        let window = Double(tokenLifetime + RevocationFeed.expiryLeeway)
        let lookback = lastPoll.withLock { last in
            last.map { min(window, Double(started &- $0) / 1e9 + RevocationFeed.overlap) } ?? window
        }
        let revoked = try pool.transaction(tenant: nil) { try UserStore.revokedSince(lookback: lookback, on: $0) }
        for (user, revokedBefore) in revoked { list.record(user: user, revokedBefore: revokedBefore) }
        list.forget(revokedBefore: Int(Date().timeIntervalSince1970) - tokenLifetime - RevocationFeed.expiryLeeway)
        lastPoll.withLock { $0 = started }
    }

    /// Polls once now (so a restarted gateway refuses revoked tokens from its
    /// first request), then every `interval` seconds on a thread of its own.
    package func start() {
        poll()
        thread.withLock { running in
            guard running == nil else { return }
            running = PollingThread(name: "banyan-revocations") { [self] thread in
                thread.pause(interval)
                while !thread.isStopping {
                    poll()
                    thread.pause(interval)
                }
            }
        }
    }

    package func stop() {
        guard let running = thread.withLock({ running in defer { running = nil }; return running }) else { return }
        running.requestStop()
        running.join()
    }

    private func poll() {
        do {
            try refresh()
        } catch {
            // The list keeps what it knew; the next poll reads from the last success.
            log.warning("token revocations could not be read", ["error": .string("\(error)")])
        }
    }
}
