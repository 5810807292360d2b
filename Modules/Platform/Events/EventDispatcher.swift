import Foundation
import Platform
import Postgres
import Synchronization

/// Delivers the events modules wrote to their outboxes to in-process
/// subscribers, after commit, at least once.
///
/// Each pass takes, per source, up to 100 due pending rows in id order with
/// `FOR UPDATE SKIP LOCKED` — two dispatchers (two gateway processes) never
/// hold the same row — and runs every subscriber of each event's type while
/// the row stays locked. All succeed: the row is `delivered`. Any throws:
/// it is tried again after an exponential backoff with jitter, and after
/// `maxAttempts` failures it is `parked` for an operator (`events`, `retry`).
/// A type nobody subscribes to is simply delivered; a payload that does not
/// decode is parked at once.
///
/// Subscribers must be idempotent: a crash after a handler ran but before the
/// row was marked runs it again, and when one of several subscribers of a
/// type fails, all of them see the event again. `EventMetadata.module` and
/// `id` together make a stable key for that.
///
///     let dispatcher = EventDispatcher()
///     dispatcher.addSource(module: "orders", pool: database.pool(for: "orders"))
///     dispatcher.subscribe(OrderPlaced.self, name: "kitchen-tickets") { event, metadata in
///         try restaurant.openTicket(.system(tenant: metadata.tenant, …), for: event)
///     }
///     dispatcher.start()
///     defer { dispatcher.stop() }
public final class EventDispatcher: Sendable {
    private let log: Log
    private let schedule: RetrySchedule
    private let pollInterval: Double
    private let registry = Mutex<Registry>(Registry())
    private let polling = Mutex<PollingThread?>(nil)

    /// Rows taken from one source in one transaction.
    static let batchSize = 100
    /// Longest `last_error` kept.
    static let errorLimit = 500
    /// Longest wait before polling a source whose database failed again.
    static let outageBackoffLimit = 5.0

    private struct Registry {
        var sources: [OutboxSource] = []
        var subscriptions: [String: [EventSubscription]] = [:]
    }

    /// - Parameters:
    ///   - maxAttempts: failed deliveries before an event is parked (at least 1).
    ///   - baseBackoff: seconds before the first retry; doubles with each failure.
    ///   - maxBackoff: the longest wait between two attempts.
    ///   - pollInterval: seconds the background thread sleeps when nothing is due.
    public init(
        log: Log = .shared, maxAttempts: Int = 8, baseBackoff: Double = 0.5, maxBackoff: Double = 60,
        pollInterval: Double = 0.1
    ) {
        self.log = log
        self.schedule = RetrySchedule(
            maxAttempts: max(1, maxAttempts), baseBackoff: max(0, baseBackoff), maxBackoff: max(0, maxBackoff))
        self.pollInterval = max(0.001, pollInterval)
    }

    deinit { stop() }

    // MARK: - Wiring

    /// A module whose `<module>.outbox` this dispatcher drains, through that
    /// module's pool (its own role). `module` must be a code constant schema
    /// name; adding the same module twice keeps the first pool.
    public func addSource(module: String, pool: PostgresPool) {
        precondition(PostgresIdentifier.isValid(module), "an outbox source must be a schema name such as orders")
        registry.withLock { registry in
            guard !registry.sources.contains(where: { $0.module == module }) else { return }
            registry.sources.append(OutboxSource(module: module, pool: pool))
        }
    }

    /// Calls `handler` for every event of type `E`, from any source.
    ///
    /// Handlers run on the dispatcher's thread (or the caller of
    /// `deliverPending`), inside the transaction that holds the event's row:
    /// they should be quick and must not wait on another dispatcher. A throw
    /// means "retry later"; `name` goes into the logs and `last_error`.
    public func subscribe<E: DomainEvent>(
        _ type: E.Type, name: String, _ handler: @escaping @Sendable (E, EventMetadata) throws -> Void
    ) {
        let subscription = EventSubscription(type, name: name, handler: handler)
        registry.withLock { $0.subscriptions[E.eventType, default: []].append(subscription) }
    }

    // MARK: - Running

    /// Starts one background thread that polls every source every
    /// `pollInterval` (at once again while there is a backlog). Does nothing
    /// when it already runs.
    public func start() {
        polling.withLock { current in
            if let current, !current.isStopping { return }
            current = PollingThread(name: "banyan-events") { [self] thread in run(thread) }
        }
    }

    /// Stops the background thread and waits for it to end, letting the
    /// batch in hand finish. Idempotent.
    public func stop() {
        guard let thread = polling.withLock({ $0 }) else { return }
        thread.requestStop()
        thread.join()
        polling.withLock { current in
            if current === thread { current = nil }
        }
    }

    /// One synchronous pass over every source (for tests and for start-up):
    /// delivers what is due and returns how many events it settled
    /// (delivered or parked). Every source is tried; the first failure is
    /// thrown afterwards.
    @discardableResult
    public func deliverPending() throws -> Int {
        var settled = 0
        var firstFailure: (any Error)?
        for source in registry.withLock({ $0.sources }) {
            do {
                settled += try deliverBatch(from: source).settled
            } catch {
                firstFailure = firstFailure ?? error
            }
        }
        if let firstFailure { throw firstFailure }
        return settled
    }

    // MARK: - Operator

    /// Parked events (and, with `includePending`, those still waiting or
    /// retrying), newest first, across all sources: `GET /admin/events`.
    public func events(includePending: Bool, limit: Int) throws -> [OutboxEntry] {
        let limit = max(0, limit)
        guard limit > 0 else { return [] }
        var entries: [OutboxEntry] = []
        for source in registry.withLock({ $0.sources }) {
            try source.pool.transaction(tenant: nil) { db in
                try Self.actAsDispatcher(db)
                let rows = try db.query(
                    """
                    SELECT id, tenant_id, event_type, payload::text AS payload, status, attempts, last_error,
                           created_at, next_attempt_at
                    FROM \(identifier: source.module).outbox
                    WHERE status = 'parked' OR (\(includePending) AND status = 'pending')
                    ORDER BY id DESC LIMIT \(limit)
                    """)
                for row in rows { entries.append(try OutboxEntry(row: row, module: source.module)) }
            }
        }
        entries.sort { ($0.createdAt, $0.module, $0.id) > ($1.createdAt, $1.module, $1.id) }
        return Array(entries.prefix(limit))
    }

    /// Events waiting for delivery (pending, due or retrying) and parked, per
    /// source: two counts, each over its partial index, for `/metrics`
    /// (which caches them: a scrape must not become the database's load).
    public func backlog() throws -> [OutboxBacklog] {
        try registry.withLock({ $0.sources }).map { source in
            try source.pool.transaction(tenant: nil) { db in
                try Self.actAsDispatcher(db)
                let row = try db.query(
                    """
                    SELECT (SELECT count(*) FROM \(identifier: source.module).outbox WHERE status = 'pending') AS pending,
                           (SELECT count(*) FROM \(identifier: source.module).outbox WHERE status = 'parked') AS parked
                    """
                ).first
                return OutboxBacklog(
                    module: source.module, pending: try row?.int("pending") ?? 0, parked: try row?.int("parked") ?? 0)
            }
        }
    }

    /// Operator action: puts a parked event back to pending, due now, with
    /// its attempts reset (`POST /admin/events/{module}/{id}/retry`). False
    /// when `module` is not a source or it has no parked event `id`.
    public func retry(module: String, id: Int64) throws -> Bool {
        guard let source = registry.withLock({ $0.sources.first { $0.module == module } }) else { return false }
        let changed = try source.pool.transaction(tenant: nil) { db in
            try Self.actAsDispatcher(db)
            return try db.execute(
                """
                UPDATE \(identifier: source.module).outbox
                SET status = 'pending', attempts = 0, next_attempt_at = now()
                WHERE id = \(id) AND status = 'parked'
                """)
        }
        if changed == 1 { log.info("parked event sent back for delivery", ["module": .string(module), "id": .int(Int(id))]) }
        return changed == 1
    }

    // MARK: - Delivery

    struct BatchResult {
        var settled = 0
        /// The batch was as large as allowed: more may be due right now.
        var full = false
    }

    private enum Outcome {
        case delivered
        case failed(String)
        case undeliverable(String)
    }

    /// Delivers one batch of `source`'s due events in one transaction.
    func deliverBatch(from source: OutboxSource) throws -> BatchResult {
        let subscriptions = registry.withLock { $0.subscriptions }
        let outbox = source.module
        return try source.pool.transaction(tenant: nil) { db in
            try Self.actAsDispatcher(db)
            let rows = try db.query(
                """
                SELECT id, tenant_id, event_type, payload::text AS payload, attempts, created_at
                FROM \(identifier: outbox).outbox
                WHERE status = 'pending' AND next_attempt_at <= now()
                ORDER BY id
                LIMIT \(Self.batchSize)
                FOR UPDATE SKIP LOCKED
                """)
            var result = BatchResult(settled: 0, full: rows.count >= Self.batchSize)
            var delivered: [Int64] = []
            for row in rows {
                let id = try row.int64("id")
                let attempt = try row.int("attempts") + 1
                switch try deliver(row, id: id, attempt: attempt, module: outbox, subscriptions: subscriptions) {
                case .delivered:
                    delivered.append(id)
                case .failed(let error) where !schedule.parks(afterAttempts: attempt):
                    let delay = schedule.delay(afterAttempts: attempt)
                    try db.execute(
                        """
                        UPDATE \(identifier: outbox).outbox
                        SET attempts = \(attempt), last_error = \(Self.clipped(error)),
                            next_attempt_at = clock_timestamp() + \(delay) * interval '1 second'
                        WHERE id = \(id)
                        """)
                case .failed(let error), .undeliverable(let error):
                    try db.execute(
                        """
                        UPDATE \(identifier: outbox).outbox
                        SET status = 'parked', attempts = \(attempt), last_error = \(Self.clipped(error))
                        WHERE id = \(id)
                        """)
                    result.settled += 1
                    log.warning(
                        "event parked",
                        [
                            "module": .string(outbox), "id": .int(Int(id)), "type": .string(try row.string("event_type")),
                            "attempts": .int(attempt), "error": .string(Self.clipped(error)),
                        ])
                }
            }
            if !delivered.isEmpty {
                // The ids are integers from this query, not input: the array literal is safe to send as text.
                let ids = "{" + delivered.map(String.init).joined(separator: ",") + "}"
                try db.execute(
                    """
                    UPDATE \(identifier: outbox).outbox
                    SET status = 'delivered', attempts = attempts + 1, delivered_at = clock_timestamp()
                    WHERE id = ANY(\(ids)::bigint[])
                    """)
                result.settled += delivered.count
            }
            return result
        }
    }

    /// Runs every subscriber of the row's type; never throws for a
    /// subscriber's failure, only for a row it cannot read.
    private func deliver(
        _ row: PostgresRow, id: Int64, attempt: Int, module: String, subscriptions: [String: [EventSubscription]]
    ) throws -> Outcome {
        let type = try row.string("event_type")
        guard let handlers = subscriptions[type], !handlers.isEmpty else { return .delivered }
        guard let tenant = TenantID(try row.string("tenant_id")) else {
            return .undeliverable("tenant_id is not a valid tenant id")
        }
        let metadata = EventMetadata(
            id: id, module: module, type: type, tenant: tenant, occurredAt: try row.date("created_at"),
            attempt: attempt)
        let payload = Data(try row.string("payload").utf8)
        var failures: [String] = []
        for subscription in handlers {
            do {
                try subscription.deliver(payload, metadata)
            } catch let error as UndecodablePayload {
                return .undeliverable("\(subscription.name): \(error)")
            } catch {
                failures.append("\(subscription.name): \(error)")
            }
        }
        return failures.isEmpty ? .delivered : .failed(failures.joined(separator: "; "))
    }

    /// Lets this transaction see every tenant's outbox rows (the policy's
    /// second branch); it ends with the transaction.
    private static func actAsDispatcher(_ db: PostgresConnection) throws {
        try db.query("SELECT set_config('app.outbox_dispatcher', 'on', true)")
    }

    private static func clipped(_ error: String) -> String { String(error.prefix(errorLimit)) }

    // MARK: - The background thread

    /// Polls until stopped. A source whose database fails is logged once,
    /// then tried again after a growing pause (up to 5 s) while the others go
    /// on; nothing here throws, so an outage never ends the thread.
    private func run(_ thread: PollingThread) {
        var outages: [String: (failures: Int, resumeAt: UInt64)] = [:]
        while !thread.isStopping {
            var backlog = false
            for source in registry.withLock({ $0.sources }) {
                guard !thread.isStopping else { break }
                let now = DispatchTime.now().uptimeNanoseconds
                if let outage = outages[source.module], outage.resumeAt > now { continue }
                do {
                    let result = try deliverBatch(from: source)
                    backlog = backlog || result.full
                    if let outage = outages.removeValue(forKey: source.module) {
                        log.info(
                            "event delivery resumed", ["module": .string(source.module), "failed_polls": .int(outage.failures)])
                    }
                } catch {
                    let failures = (outages[source.module]?.failures ?? 0) + 1
                    if failures == 1 {
                        log.error("event delivery failed", ["module": .string(source.module), "error": .string("\(error)")])
                    }
                    let pause = min(Self.outageBackoffLimit, pollInterval * Double(1 << min(failures, 16)))
                    outages[source.module] = (failures, now + UInt64(pause * 1_000_000_000))
                }
            }
            if !backlog { thread.pause(pollInterval) }
        }
    }
}
