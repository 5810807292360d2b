import Synchronization

/// What one pool's connections asked of PostgreSQL since the pool opened:
/// statements sent, network round trips, and pool transactions committed
/// and rolled back. `/metrics` shows them by module
/// (`ProcessCollectors.pools`); `./scripts/bench orders` divides their
/// growth during a run by the checkouts it made, to see what one checkout
/// costs the database where throughput is bounded by two cores.
///
/// - A round trip is each time a connection waits for the server's replies:
///   one per pipeline (however many statements it carries), one per
///   simple-protocol script (`executeScript`, the `DEALLOCATE` of evicted
///   statements).
/// - Statements are those executed, `BEGIN`, the tenant setting and `COMMIT`
///   included; a statement's first Parse on a connection travels with it and
///   is not counted apart. A simple-protocol script counts as one.
/// - Transactions are `PostgresPool.transaction`'s: committed when its
///   `COMMIT` succeeded; rolled back when the pool rolled it back or the
///   server refused its `COMMIT`. A body that ran no statement opened none.
///   Each statement of a `PostgresPool.autocommit` body that succeeded is a
///   committed transaction too; other statements outside a transaction
///   (migrations, provisioning) are not counted as transactions.
///
/// Each figure is a relaxed atomic of its own: a reading is not a consistent
/// cut across the four, which counters compared over seconds never need.
public final class DatabaseCounters: Sendable {
    public struct Snapshot: Sendable, Equatable {
        public var statements: Int
        public var roundTrips: Int
        public var commits: Int
        public var rollbacks: Int

        public init(statements: Int, roundTrips: Int, commits: Int, rollbacks: Int) {
            self.statements = statements
            self.roundTrips = roundTrips
            self.commits = commits
            self.rollbacks = rollbacks
        }

        /// What happened between `earlier` and this reading.
        public static func - (later: Snapshot, earlier: Snapshot) -> Snapshot {
            Snapshot(
                statements: later.statements - earlier.statements, roundTrips: later.roundTrips - earlier.roundTrips,
                commits: later.commits - earlier.commits, rollbacks: later.rollbacks - earlier.rollbacks)
        }
    }

    /// Where a connection outside any pool counts (migrations' admin
    /// connection, provisioning): shown nowhere, so every pool's figures are
    /// its module's alone.
    static let unpooled = DatabaseCounters()

    private let statements = Atomic<Int>(0)
    private let roundTrips = Atomic<Int>(0)
    private let commits = Atomic<Int>(0)
    private let rollbacks = Atomic<Int>(0)

    public init() {}

    public var snapshot: Snapshot {
        Snapshot(
            statements: statements.load(ordering: .relaxed), roundTrips: roundTrips.load(ordering: .relaxed),
            commits: commits.load(ordering: .relaxed), rollbacks: rollbacks.load(ordering: .relaxed))
    }

    /// One wait for the server's replies to `statements` statements.
    @inline(__always)
    func countRoundTrip(statements count: Int) {
        roundTrips.add(1, ordering: .relaxed)
        statements.add(count, ordering: .relaxed)
    }

    /// A pool transaction's `COMMIT` succeeded.
    @inline(__always)
    func countCommit() {
        commits.add(1, ordering: .relaxed)
    }

    /// Called by `PostgresPool.transaction` when a body or its commit threw,
    /// before it rolls back: the transaction counts as rolled back when it is
    /// still open on the server (the pool's `ROLLBACK` follows), or when the
    /// server refused its `COMMIT` (a deferred constraint, a serialization
    /// failure at commit), which ends it idle. A body that threw before
    /// sending anything, or a lost connection (outcome unknown), counts nothing.
    func countRollback(of connection: PostgresConnection, after error: any Error) {
        switch connection.transactionState {
        case .inTransaction, .failedTransaction:
            rollbacks.add(1, ordering: .relaxed)
        case .idle:
            if let error = error as? PostgresError, error.kind == .server { rollbacks.add(1, ordering: .relaxed) }
        case .busy, .unknown:
            break
        }
    }
}
