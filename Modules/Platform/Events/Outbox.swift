import Foundation
import Platform
import Postgres

/// The transactional outbox: a module writes its events to `<schema>.outbox`
/// in the same transaction as the change they describe, so an event exists
/// exactly when the change committed. `EventDispatcher` delivers them later.
///
///     try pool.transaction(tenant: context.tenant.value) { db in
///         try db.execute("UPDATE orders SET status = 'cancelled' WHERE …")
///         try Outbox.append(OrderCancelled(orderID: id, number: number),
///                           tenant: context.tenant.value, schema: "orders", on: db)
///     }
public enum Outbox {
    /// Statements for a module's migration: creates `<schema>.outbox` under
    /// row-level security.
    ///
    /// The policy admits a row when its `tenant_id` is the transaction's
    /// `app.tenant`, or when `app.outbox_dispatcher` is `on`: only the
    /// dispatcher sets that, to read across tenants. `schema` must be a code
    /// constant (`[a-z_][a-z0-9_]*`); anything else traps.
    public static func migrationSQL(schema: String) -> String {
        precondition(PostgresIdentifier.isValid(schema), "outbox schema must be a code constant such as orders")
        let table = "\(schema).outbox"
        let visible =
            "tenant_id = current_setting('app.tenant', true) OR current_setting('app.outbox_dispatcher', true) = 'on'"
        return """
            CREATE TABLE \(table) (
                id              bigserial PRIMARY KEY,
                tenant_id       text NOT NULL,
                event_type      text NOT NULL,
                payload         jsonb NOT NULL,
                status          text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'parked')),
                attempts        integer NOT NULL DEFAULT 0,
                next_attempt_at timestamptz NOT NULL DEFAULT now(),
                last_error      text,
                created_at      timestamptz NOT NULL DEFAULT now(),
                delivered_at    timestamptz
            );
            -- The dispatcher's poll (pending, due, ORDER BY id LIMIT 100) walks this
            -- in id order and stops at 100: partial, so delivered history costs
            -- nothing, and no sort even with a large backlog. An index led by
            -- next_attempt_at would have to sort every due row of a backlog.
            CREATE INDEX outbox_pending ON \(table) (id) WHERE status = 'pending';
            -- The operator's view of parked events.
            CREATE INDEX outbox_parked ON \(table) (id) WHERE status = 'parked';
            ALTER TABLE \(table) ENABLE ROW LEVEL SECURITY;
            ALTER TABLE \(table) FORCE ROW LEVEL SECURITY;
            CREATE POLICY outbox_access ON \(table) USING (\(visible)) WITH CHECK (\(visible));
            """
    }

    /// Appends `event` in the caller's open transaction on `connection`.
    ///
    /// Encoded as `WireJSON`, like every other body. The row is invisible to the
    /// dispatcher until the caller commits and gone if it rolls back, so
    /// delivery can only follow a committed change. `tenant` must be the
    /// transaction's `app.tenant`: the row-level security check refuses any
    /// other (a `PostgresError` with `isPermissionDenied`).
    ///
    /// Inside `PostgresPool.transaction` the INSERT travels with the `COMMIT`
    /// (`executeAtCommit`), so an event costs no round trip of its own; its
    /// errors, that refusal included, are thrown by `transaction`, and the
    /// row is not visible to the body's own later statements. Elsewhere it
    /// runs at once.
    public static func append<E: DomainEvent>(
        _ event: E, tenant: String, schema: String, on connection: PostgresConnection
    ) throws {
        let payload = try payload(event)
        try connection.executeAtCommit(
            """
            INSERT INTO \(identifier: schema).outbox (tenant_id, event_type, payload)
            VALUES (\(tenant), \(E.eventType), \(payload)::jsonb)
            """)
    }

    /// The payload `append` writes for `event`, for a store whose change and
    /// outbox row are one statement (an `INSERT INTO <schema>.outbox … FROM
    /// <the change's RETURNING>` in a CTE), so that neither exists without
    /// the other even outside a transaction. A value only the statement
    /// knows (a receipt number) is patched in there with `jsonb_set`.
    public static func payload<E: DomainEvent>(_ event: E) throws -> String {
        String(decoding: try WireJSON.encoder.encode(event), as: UTF8.self)
    }
}
