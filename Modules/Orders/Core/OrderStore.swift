import Events
import Foundation
import OrdersAPI
import Platform
import Postgres

/// The SQL of the Orders module. Every method runs on a connection already
/// inside a transaction scoped to `tenant`, and filters by it as well.
enum OrderStore {
    struct NewOrder {
        var id: String
        var tenant: String
        var totalCents: Int64
        var currency: String
        var paymentMethod: String
        var paymentToken: String?
        var idempotencyKey: String?
        var requestFingerprint: String
        var createdBy: String?
        var lines: [Order.Line]
        /// The placing request's claim on its checkout, and how long it lasts.
        var claim: CheckoutClaim
    }

    /// Inserts a pending order and its lines in one statement: one round
    /// trip on the checkout's hot path. It has no number yet: it may still
    /// be deleted (out of stock), and a receipt number is only ever given to
    /// an order that stays (`numbering`).
    static func insertPending(_ new: NewOrder, on db: PostgresConnection) throws -> OrderRecord {
        let lines = String(
            decoding: try JSONEncoder().encode(new.lines.enumerated().map { LineRow(position: $0.offset, line: $0.element) }),
            as: UTF8.self)
        let row = try db.query(
            """
            WITH inserted AS (
                INSERT INTO orders.orders (id, tenant_id, status, total_cents, currency, payment_method,
                                           payment_token, idempotency_key, request_fingerprint, created_by,
                                           claimed_by, claimed_until)
                VALUES (\(new.id)::uuid, \(new.tenant), 'pending', \(new.totalCents), \(new.currency),
                        \(new.paymentMethod), \(new.paymentToken), \(new.idempotencyKey), \(new.requestFingerprint),
                        \(new.createdBy), \(new.claim.claimant), now() + make_interval(secs => \(new.claim.seconds)))
                RETURNING *
            ), lines AS (
                INSERT INTO orders.order_lines (order_id, tenant_id, position, menu_item_id, name, quantity, unit_price_cents)
                SELECT inserted.id, inserted.tenant_id, x.position, x.menu_item_id, x.name, x.quantity, x.unit_price_cents
                FROM inserted, jsonb_to_recordset(\(lines)::jsonb)
                     AS x(position int, menu_item_id uuid, name text, quantity int, unit_price_cents bigint)
            )
            SELECT \(sql: OrderRecord.columns) FROM inserted
            """
        ).first!
        return try OrderRecord(row: row, lines: new.lines)
    }

    /// The receipt numbering: CTEs that follow `WITH pending AS (SELECT
    /// <tenant>::text AS tenant_id, <id>::uuid AS id, <claimant>::text AS
    /// claimant)` in a statement that then changes that order, `FROM
    /// target`. `target` is the order if it is still pending (and claimed by
    /// `claimant`, unless that is NULL), with the number it keeps or, if it
    /// had none, its restaurant's next one. Every condition of the change
    /// belongs in `locked`: a number taken for a row the UPDATE then skips
    /// would be a gap.
    ///
    /// Why gapless: only the statements that make an order stay number it
    /// (settling it; holding it, after which it is settled, never deleted),
    /// in their own transaction, so a rollback gives the number back with
    /// the counter's increment. An out-of-stock attempt is deleted before
    /// either, unnumbered. Why unique under concurrency: the increment locks
    /// the counter row until commit, so two checkouts never read the same
    /// `last_number`. The lock is taken by the settling statement (only its
    /// commit follows), never while stock or money is asked for, but it
    /// lasts until that durable commit's flush: one restaurant's
    /// settlements take turns. Measured at 8 cashiers of one restaurant
    /// (`BENCH_STATEMENTS=1 ./scripts/bench orders`) that is 1.3 to 2.2 ms
    /// of waiting per checkout, and one restaurant at 128 cashiers keeps
    /// 0.94–1.0 of its peak (`./scripts/bench scale`). (Before the bench's
    /// warm-up, a plan made on empty tables scanned the restaurant's orders
    /// under this lock, and the queue halved that figure; see
    /// docs/benchmarks.md.) Order row first, counter row second, everywhere,
    /// so numbering cannot deadlock. No extra round trip: it rides on the
    /// UPDATE the saga sends anyway. A twin settling the same order waits
    /// on the row lock, then finds it no longer pending and takes nothing.
    private static let numbering: StaticString = """
        locked AS (
            SELECT o.id, o.seq, o.number FROM orders.orders o, pending
            WHERE o.tenant_id = pending.tenant_id AND o.id = pending.id AND o.status = 'pending'
              AND (pending.claimant IS NULL OR o.claimed_by = pending.claimant)
            FOR UPDATE OF o
        ), next AS (
            INSERT INTO orders.counters (tenant_id, last_number)
            SELECT pending.tenant_id, 1 FROM pending, locked WHERE locked.seq IS NULL
            ON CONFLICT (tenant_id) DO UPDATE SET last_number = orders.counters.last_number + 1
            RETURNING last_number
        ), target AS (
            SELECT locked.id AS order_id, coalesce(locked.seq, next.last_number) AS new_seq,
                   coalesce(locked.number,
                            'B-' || CASE WHEN next.last_number < 1000000 THEN lpad(next.last_number::text, 6, '0')
                                         ELSE next.last_number::text END) AS new_number
            FROM locked LEFT JOIN next ON true
        )
        """

    /// One line as `jsonb_to_recordset` reads it.
    private struct LineRow: Encodable {
        var position: Int
        var line: Order.Line

        enum CodingKeys: String, CodingKey {
            case position, name, quantity
            case menuItemID = "menu_item_id"
            case unitPriceCents = "unit_price_cents"
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(position, forKey: .position)
            try container.encode(line.menuItemID, forKey: .menuItemID)
            try container.encode(line.name, forKey: .name)
            try container.encode(line.quantity, forKey: .quantity)
            try container.encode(line.unitPriceCents, forKey: .unitPriceCents)
        }
    }

    /// `lock`: held `FOR UPDATE` until the transaction ends.
    static func find(id: UUID, tenant: String, lock: Bool = false, on db: PostgresConnection) throws -> OrderRecord? {
        let rows = lock
            ? try db.query(
                "SELECT \(sql: OrderRecord.columns) FROM orders.orders WHERE tenant_id = \(tenant) AND id = \(id) FOR UPDATE")
            : try db.query(
                "SELECT \(sql: OrderRecord.columns) FROM orders.orders WHERE tenant_id = \(tenant) AND id = \(id)")
        return try withLines(rows, tenant: tenant, on: db).first
    }

    static func find(number: String, tenant: String, on db: PostgresConnection) throws -> OrderRecord? {
        let rows = try db.query(
            "SELECT \(sql: OrderRecord.columns) FROM orders.orders WHERE tenant_id = \(tenant) AND number = \(number)")
        return try withLines(rows, tenant: tenant, on: db).first
    }

    static func find(idempotencyKey: String, tenant: String, on db: PostgresConnection) throws -> OrderRecord? {
        let rows = try db.query(
            """
            SELECT \(sql: OrderRecord.columns) FROM orders.orders
            WHERE tenant_id = \(tenant) AND idempotency_key = \(idempotencyKey)
            """)
        return try withLines(rows, tenant: tenant, on: db).first
    }

    static func page(_ query: OrderQuery, tenant: String, on db: PostgresConnection) throws -> OrderPage {
        let status = query.status?.rawValue
        let total = try db.query(
            """
            SELECT count(*) AS total FROM orders.orders
            WHERE tenant_id = \(tenant) AND (\(status)::text IS NULL OR status = \(status))
            """
        ).first!.int("total")
        let rows = try db.query(
            """
            SELECT \(sql: OrderRecord.columns) FROM orders.orders
            WHERE tenant_id = \(tenant) AND (\(status)::text IS NULL OR status = \(status))
            ORDER BY created_at DESC, seq DESC LIMIT \(query.limit) OFFSET \(query.offset)
            """)
        let orders = try withLines(rows, tenant: tenant, on: db).map(\.order)
        return OrderPage(orders: orders, total: total, limit: query.limit, offset: query.offset)
    }

    /// Reads the lines of every order in `rows` with one query.
    private static func withLines(_ rows: PostgresRows, tenant: String, on db: PostgresConnection) throws -> [OrderRecord] {
        guard rows.count > 0 else { return [] }
        let ids = try rows.map { try $0.uuid("id") }
        let lineRows = try db.query(
            """
            SELECT order_id::text AS order_id, menu_item_id::text AS menu_item_id, name, quantity, unit_price_cents
            FROM orders.order_lines
            WHERE tenant_id = \(tenant) AND order_id = ANY(\(PostgresArray(ids)))
            ORDER BY order_id, position
            """)
        var lines: [String: [Order.Line]] = [:]
        for row in lineRows {
            lines[try row.string("order_id"), default: []].append(
                Order.Line(
                    menuItemID: try row.string("menu_item_id"), name: try row.string("name"),
                    quantity: try row.int("quantity"), unitPriceCents: try row.int64("unit_price_cents")))
        }
        return try rows.map { row in try OrderRecord(row: row, lines: lines[try row.string("id")] ?? []) }
    }

    /// Moves a pending order to a final state, with its `OrderPlaced` when
    /// it completes, in one statement: a transaction of its own (one round
    /// trip), which also ends the counter row's lock (see `numbering`) a
    /// round trip sooner than an outbox row sent with `COMMIT` would. nil
    /// when it was no longer pending (another process settled it first).
    static func settle(
        _ record: OrderRecord, status: Order.Status, paymentStatus: String?, paymentID: String?, failureCode: String?,
        on db: PostgresConnection
    ) throws -> OrderRecord? {
        // Everything but the number, which the statement gives (see `Outbox.payload`).
        let placed = try Outbox.payload(
            OrderPlaced(
                orderID: record.order.id, number: "", items: record.order.items, totalCents: record.order.totalCents,
                currency: record.order.currency))
        let rows = try db.query(
            """
            WITH pending AS (SELECT \(record.tenant)::text AS tenant_id, \(record.order.id)::uuid AS id,
                                    NULL::text AS claimant),
            \(sql: numbering),
            settled AS (
                UPDATE orders.orders o
                SET status = \(status.rawValue), payment_status = \(paymentStatus), payment_id = \(paymentID),
                    failure_code = \(failureCode), payment_token = NULL, updated_at = now(),
                    seq = target.new_seq, number = target.new_number
                FROM target
                WHERE o.tenant_id = \(record.tenant) AND o.id = target.order_id
                RETURNING \(sql: OrderRecord.columns)
            ), placed AS (
                INSERT INTO orders.outbox (tenant_id, event_type, payload)
                SELECT settled.tenant_id, \(OrderPlaced.eventType),
                       jsonb_set(\(placed)::jsonb, '{number}', to_jsonb(settled.number))
                FROM settled WHERE settled.status = 'completed'
            )
            SELECT * FROM settled
            """)
        guard let row = rows.first else { return nil }
        return try OrderRecord(row: row, lines: record.order.items)
    }

    /// Completed → cancelled; nil when it was not completed any more (a concurrent cancel won).
    static func cancel(_ record: OrderRecord, on db: PostgresConnection) throws -> OrderRecord? {
        let rows = try db.query(
            """
            UPDATE orders.orders SET status = 'cancelled', payment_status = 'refunded', updated_at = now()
            WHERE tenant_id = \(record.tenant) AND id = \(record.order.id)::uuid AND status = 'completed'
            RETURNING \(sql: OrderRecord.columns)
            """)
        guard let row = rows.first else { return nil }
        let cancelled = try OrderRecord(row: row, lines: record.order.items)
        try Outbox.append(
            OrderCancelled(orderID: cancelled.order.id, number: cancelled.order.number),
            tenant: record.tenant, schema: "orders", on: db)
        return cancelled
    }

    /// Removes a checkout that never got its stock: the customer never had an order.
    static func delete(_ record: OrderRecord, on db: PostgresConnection) throws {
        try db.execute(
            "DELETE FROM orders.orders WHERE tenant_id = \(record.tenant) AND id = \(record.order.id)::uuid AND status = 'pending'")
    }

    /// Takes a pending order whose claim has run out (its claimant crashed,
    /// or gave up on an unknown outcome): the conditional UPDATE is the lock,
    /// so of two processes claiming at once exactly one gets the row.
    static func claim(id: UUID, tenant: String, _ claim: CheckoutClaim, on db: PostgresConnection) throws -> OrderRecord? {
        let rows = try db.query(
            """
            UPDATE orders.orders
            SET claimed_by = \(claim.claimant), claimed_until = now() + make_interval(secs => \(claim.seconds))
            WHERE tenant_id = \(tenant) AND id = \(id) AND status = 'pending'
              AND (claimed_until IS NULL OR claimed_until < now())
            RETURNING \(sql: OrderRecord.columns)
            """)
        return try withLines(rows, tenant: tenant, on: db).first
    }

    /// Extends `claim` on a pending order; false when it is no longer ours
    /// (settled, or claimed by another process after our lease ran out).
    /// Checked right before compensating, so a checkout is never undone by
    /// a process that lost it.
    static func renew(_ record: OrderRecord, _ claim: CheckoutClaim, on db: PostgresConnection) throws -> Bool {
        try db.query(
            """
            UPDATE orders.orders SET claimed_until = now() + make_interval(secs => \(claim.seconds))
            WHERE tenant_id = \(record.tenant) AND id = \(record.order.id)::uuid AND status = 'pending'
              AND claimed_by = \(claim.claimant)
            RETURNING 1 AS renewed
            """
        ).count == 1
    }

    /// Leaves a pending order for a later attempt: its payment's outcome is
    /// not known yet. The claim now runs out after `retryAfter` seconds, so
    /// recovery (or the client's retry with the same key) asks again then.
    static func hold(
        _ record: OrderRecord, _ claim: CheckoutClaim, retryAfter: Double, on db: PostgresConnection
    ) throws -> OrderRecord? {
        let rows = try db.query(
            """
            WITH pending AS (SELECT \(record.tenant)::text AS tenant_id, \(record.order.id)::uuid AS id,
                                    \(claim.claimant)::text AS claimant),
            \(sql: numbering)
            UPDATE orders.orders o
            SET payment_status = 'pending', claimed_until = now() + make_interval(secs => \(retryAfter)),
                updated_at = now(), seq = target.new_seq, number = target.new_number
            FROM target
            WHERE o.tenant_id = \(record.tenant) AND o.id = target.order_id
            RETURNING \(sql: OrderRecord.columns)
            """)
        guard let row = rows.first else { return nil }
        return try OrderRecord(row: row, lines: record.order.items)
    }

    /// Pending orders of every tenant whose claim has run out, oldest first: (tenant, id).
    static func claimable(limit: Int, on db: PostgresConnection) throws -> [(tenant: String, id: UUID)] {
        try db.execute("SELECT set_config('app.saga_recovery', 'on', true)")
        return try db.query(
            """
            SELECT tenant_id, id FROM orders.orders
            WHERE status = 'pending' AND (claimed_until IS NULL OR claimed_until < now())
            ORDER BY created_at LIMIT \(limit)
            """
        ).map { (try $0.string("tenant_id"), try $0.uuid("id")) }
    }
}
