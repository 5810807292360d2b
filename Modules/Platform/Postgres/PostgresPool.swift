import Foundation

/// A fixed-size pool of blocking connections to one database as one role.
///
/// Connections open lazily, up to `size`. A caller that finds them all busy
/// waits up to `waitTimeout` seconds and then gets a `PostgresError` with
/// `isPoolTimeout` (the gateway answers 503). A connection that broke — libpq
/// saw it fail, or the server closed it while it sat idle — is dropped and a
/// new one opened in its place; one handed back inside a transaction is
/// rolled back first, or dropped if that fails.
///
/// Calls block the calling thread: use worker threads, never Swift's
/// cooperative pool. A body must not take a second connection from the same
/// pool, or with every connection held that way it waits out the timeout.
///
///     let names = try pool.withConnection { connection in
///         try connection.query("SELECT name FROM items").map { try $0.string("name") }
///     }
public final class PostgresPool: @unchecked Sendable {
    // @unchecked: `idle`, `openCount` and `isClosed` are only touched with
    // `condition` locked, and a connection belongs to exactly one borrower
    // between `checkOut` and `checkIn`; everything else is immutable.
    public let size: Int
    public let waitTimeout: Double
    private let conninfo: String
    private let condition = NSCondition()
    private var idle: [PostgresConnection] = []
    /// Idle, lent out, or being opened: never above `size`.
    private var openCount = 0
    /// Check-outs that found every connection busy and had to wait, and those that gave up (`poolTimeout`).
    private var waits = 0
    private var timeouts = 0
    private var isClosed = false
    /// What this pool's connections asked of the server (see `DatabaseCounters`).
    public let counters = DatabaseCounters()

    /// Attempts of a transaction body that keeps failing with a serialization failure or deadlock.
    static let transactionAttempts = 5

    public init(conninfo: String, size: Int = 10, waitTimeout: Double = 5) {
        self.conninfo = conninfo
        self.size = max(1, size)
        self.waitTimeout = waitTimeout
    }

    /// Lends a connection to `body` and takes it back afterwards, whatever happens.
    @discardableResult
    public func withConnection<T>(_ body: (PostgresConnection) throws -> T) throws -> T {
        try withConnection(waitTimeout: waitTimeout, body)
    }

    /// Runs `body` in a transaction and commits it; rolls back if `body` throws.
    ///
    /// With `tenant`, the transaction starts with
    /// `set_config('app.tenant', tenant, true)`, which the row-level security
    /// policies read (see `RowLevelSecurity`); it ends with the transaction.
    /// `BEGIN` and that `set_config` travel with the body's first statement,
    /// in one round trip; their errors surface from that statement. A body
    /// that runs no statement opens no transaction at all. Statements the
    /// body hands to `executeAtCommit` travel with `COMMIT`, in one round trip.
    /// A serialization failure (40001) or deadlock (40P01) runs the whole body
    /// again, up to 5 attempts with a short jittered backoff, so `body` must
    /// be safe to repeat: only database work, no side effects outside it.
    /// Errors are seen as transient only if `body` rethrows the `PostgresError`.
    /// `durability` is `.durable` unless the caller is a saga step (see `CommitDurability`).
    @discardableResult
    public func transaction<T>(
        tenant: String?, isolation: IsolationLevel = .readCommitted, durability: CommitDurability = .durable,
        _ body: (PostgresConnection) throws -> T
    ) throws -> T {
        let start = [isolation.beginStatement] + PostgresPool.settings(tenant: tenant, durability: durability)
        var attempt = 1
        while true {
            var bodyStarted = false
            do {
                return try withConnection { connection in
                    // Sent with the body's first statement: one round trip instead of three.
                    try connection.deferTransactionStart(start)
                    do {
                        bodyStarted = true
                        let value = try body(connection)
                        if connection.transactionState == .failedTransaction {
                            // COMMIT would answer "ROLLBACK" without an error: the
                            // body swallowed a failed statement and nothing would be saved.
                            throw PostgresError(
                                kind: .transactionAborted,
                                message: "a statement failed inside the transaction; it was rolled back")
                        }
                        // With the body's `executeAtCommit` statements, in one round trip.
                        try connection.commitPoolTransaction()
                        return value
                    } catch {
                        // The connection died in the round trip that opened the
                        // transaction: none of the body's statements can have taken effect.
                        if connection.lostConnectionStartingTransaction { bodyStarted = false }
                        counters.countRollback(of: connection, after: error)
                        connection.endPoolTransaction()
                        if connection.transactionState != .idle { _ = try? connection.execute("ROLLBACK") }
                        throw error
                    }
                }
            } catch let error as PostgresError where attempt < PostgresPool.transactionAttempts {
                // A connection that died before the body's work reached the server can be replaced safely.
                let retry = error.isTransient || (error.isConnectionFailure && !bodyStarted)
                guard retry else { throw error }
                PostgresPool.backOff(attempt: attempt)
                attempt += 1
            }
        }
    }

    /// Runs `body` on a connection with every statement its own transaction
    /// (autocommit), scoped to `tenant` and committed with `durability`:
    /// one round trip per statement, with no `BEGIN` or `COMMIT` of its own.
    ///
    /// For reads, at READ COMMITTED a transaction adds nothing: each of its
    /// statements sees a snapshot of its own either way. For a change made
    /// in one statement it is that statement's transaction. Never for two
    /// changes that must happen together: use `transaction`. The tenant
    /// setting travels ahead of each statement in its implicit transaction
    /// (`set_config(…, true)`), so row-level security applies to each, and it
    /// ends with it: nothing of it stays on the connection. A setting the
    /// body sets itself lasts only for that statement, so bodies that need
    /// one (`app.saga_recovery`) use `transaction`. A serialization failure
    /// or deadlock runs the body again (up to 5 attempts), so it must be safe
    /// to repeat. A lost connection is thrown, never retried: a change in
    /// that round trip may or may not have committed.
    ///
    ///     let item = try pool.autocommit(tenant: tenant) { try MenuStore.find(id: id, tenant: tenant, on: $0) }
    @discardableResult
    public func autocommit<T>(
        tenant: String?, durability: CommitDurability = .durable, _ body: (PostgresConnection) throws -> T
    ) throws -> T {
        let scope = PostgresPool.settings(tenant: tenant, durability: durability)
        var attempt = 1
        while true {
            do {
                return try withConnection { connection in
                    try connection.scopeEachStatement(scope)
                    defer { connection.endPoolTransaction() }
                    return try body(connection)
                }
            } catch let error as PostgresError where attempt < PostgresPool.transactionAttempts {
                guard error.isTransient else { throw error }
                PostgresPool.backOff(attempt: attempt)
                attempt += 1
            }
        }
    }

    /// The settings a transaction (or each autocommit statement) runs with,
    /// as one statement: the tenant for row-level security, and
    /// `synchronous_commit` when the commit need not wait for the disk.
    /// `set_config(…, true)` rather than `SET LOCAL`, which has no effect
    /// outside a transaction block (an autocommit statement's implicit one).
    static func settings(tenant: String?, durability: CommitDurability) -> [PostgresQuery] {
        switch (tenant, durability) {
        case (nil, .durable): []
        case (let tenant?, .durable): ["SELECT set_config('app.tenant', \(tenant), true)"]
        case (nil, .flushedByLaterCommit): ["SELECT set_config('synchronous_commit', 'off', true)"]
        case (let tenant?, .flushedByLaterCommit):
            ["SELECT set_config('app.tenant', \(tenant), true), set_config('synchronous_commit', 'off', true)"]
        }
    }

    /// Whether a `SELECT 1` succeeds within about two seconds of waiting for a connection.
    public func ping() -> Bool {
        let answered = try? withConnection(waitTimeout: min(waitTimeout, 2)) { connection in
            try connection.query("SELECT 1 AS one").first?.int("one") == 1
        }
        return answered ?? false
    }

    /// Closes idle connections now and busy ones when they come back; later calls fail.
    public func close() {
        condition.lock()
        isClosed = true
        let closing = idle
        idle.removeAll()
        openCount -= closing.count
        condition.broadcast()
        condition.unlock()
        for connection in closing { connection.close() }
    }

    /// Connections open right now (idle or lent out).
    /// How often a check-out waited for a busy pool (each wake-up that found
    /// none free again counts again), and how often it gave up: for `/metrics`.
    public var waitCounts: (waits: Int, timeouts: Int) {
        condition.lock()
        defer { condition.unlock() }
        return (waits, timeouts)
    }

    public var openConnectionCount: Int {
        condition.lock()
        defer { condition.unlock() }
        return openCount
    }

    public var idleConnectionCount: Int {
        condition.lock()
        defer { condition.unlock() }
        return idle.count
    }

    @discardableResult
    func withConnection<T>(waitTimeout: Double, _ body: (PostgresConnection) throws -> T) throws -> T {
        let connection = try checkOut(deadline: Date(timeIntervalSinceNow: waitTimeout))
        connection.counters = counters
        defer { checkIn(connection) }
        return try body(connection)
    }

    private func checkOut(deadline: Date) throws -> PostgresConnection {
        condition.lock()
        while true {
            if isClosed {
                condition.unlock()
                throw PostgresError(kind: .poolClosed, message: "the connection pool is closed")
            }
            if let connection = idle.popLast() {
                condition.unlock()
                if connection.isAliveWhileIdle() { return connection }
                connection.close()
                condition.lock()
                openCount -= 1
                continue
            }
            if openCount < size {
                openCount += 1  // reserve the slot, then connect without holding the lock
                condition.unlock()
                do {
                    return try PostgresConnection(conninfo: conninfo)
                } catch {
                    condition.lock()
                    openCount -= 1
                    condition.signal()
                    condition.unlock()
                    throw error
                }
            }
            if Date() >= deadline {
                timeouts += 1
                condition.unlock()
                throw PostgresError(
                    kind: .poolTimeout, message: "all \(size) connections stayed busy for \(waitTimeout) s")
            }
            // Woken by a check-in, a close, or the deadline: the loop looks again either way.
            waits += 1
            _ = condition.wait(until: deadline)
        }
    }

    private func checkIn(_ connection: PostgresConnection) {
        connection.endPoolTransaction()
        var reusable = !connection.isBroken
        if reusable, connection.transactionState != .idle {
            // Left in a transaction by a body that returned early or threw.
            reusable = (try? connection.executeScript("ROLLBACK")) != nil && connection.transactionState == .idle
        }
        condition.lock()
        let keep = reusable && !isClosed
        if keep {
            idle.append(connection)
        } else {
            openCount -= 1
        }
        condition.signal()
        condition.unlock()
        if !keep { connection.close() }
    }

    private static func backOff(attempt: Int) {
        let ceiling = min(0.2, 0.01 * Double(1 << attempt))
        Thread.sleep(forTimeInterval: Double.random(in: ceiling / 2...ceiling))
    }
}
