import Events
import Postgres

/// The `orders` schema, owned by the `banyan_orders` role.
///
/// Receipt numbers (`B-000001`, …) are gapless per restaurant: a number is
/// consumed only by an order that exists and stays, whatever its end
/// (completed, `payment_failed`, cancelled). A checkout gets its number
/// when it can no longer be deleted, i.e. once its stock is reserved (see
/// `OrderStore.numbering`); before that its `seq` and `number` are NULL, so
/// an out-of-stock attempt, whose pending order is deleted, burns none.
/// (Migration 1's comment on `orders.counters` predates this rule: applied
/// migrations are never edited. Migration 3 makes it true.)
package enum OrdersSchema {
    package static let module = ModuleSchema(
        name: "orders",
        migrations: [
            Migration(
                version: 1, name: "orders, lines, numbering, outbox",
                sql: """
                    CREATE TABLE orders.orders (
                        id               uuid PRIMARY KEY,
                        tenant_id        text NOT NULL,
                        seq              bigint NOT NULL,
                        number           text NOT NULL,
                        status           text NOT NULL
                                         CHECK (status IN ('pending', 'completed', 'payment_failed', 'cancelled')),
                        total_cents      bigint NOT NULL CHECK (total_cents >= 0),
                        currency         text NOT NULL,
                        payment_method   text NOT NULL CHECK (payment_method IN ('cash', 'card')),
                        -- Kept only while the saga runs, so a recovery can finish an interrupted charge.
                        payment_token    text,
                        payment_status   text,
                        payment_id       text,
                        failure_code     text,
                        idempotency_key  text,
                        request_fingerprint text NOT NULL,
                        created_by       text,
                        created_at       timestamptz NOT NULL DEFAULT now(),
                        updated_at       timestamptz NOT NULL DEFAULT now(),
                        UNIQUE (tenant_id, seq),
                        UNIQUE (tenant_id, idempotency_key)
                    );
                    CREATE INDEX orders_by_tenant_created ON orders.orders (tenant_id, created_at DESC, seq DESC);
                    CREATE INDEX orders_pending ON orders.orders (created_at) WHERE status = 'pending';
                    CREATE TABLE orders.order_lines (
                        order_id         uuid NOT NULL REFERENCES orders.orders (id) ON DELETE CASCADE,
                        tenant_id        text NOT NULL,
                        position         int NOT NULL,
                        menu_item_id     uuid NOT NULL,
                        name             text NOT NULL,
                        quantity         int NOT NULL CHECK (quantity > 0),
                        unit_price_cents bigint NOT NULL CHECK (unit_price_cents >= 0),
                        PRIMARY KEY (order_id, position)
                    );
                    -- Per-restaurant order numbers without gaps from concurrency.
                    CREATE TABLE orders.counters (
                        tenant_id   text PRIMARY KEY,
                        last_number bigint NOT NULL
                    );
                    \(RowLevelSecurity.tenantIsolationSQL(table: "orders.orders"))
                    \(RowLevelSecurity.tenantIsolationSQL(table: "orders.order_lines"))
                    \(RowLevelSecurity.tenantIsolationSQL(table: "orders.counters"))
                    -- Crash recovery must find interrupted checkouts in every restaurant:
                    -- it may read pending orders (and nothing else) across tenants.
                    CREATE POLICY saga_recovery ON orders.orders FOR SELECT
                        USING (status = 'pending' AND current_setting('app.saga_recovery', true) = 'on');
                    \(Outbox.migrationSQL(schema: "orders"))
                    """),
            Migration(
                version: 2, name: "checkout claims",
                sql: """
                    -- Who works on a pending checkout, and until when: the request
                    -- that placed it, then whichever recovery claims it once the
                    -- lease has run out (a crashed claimant's lease simply expires).
                    ALTER TABLE orders.orders
                        ADD COLUMN claimed_by    text,
                        ADD COLUMN claimed_until timestamptz;
                    """),
            Migration(
                version: 3, name: "numbers only for orders that stay",
                sql: """
                    -- A checkout is numbered once its stock is reserved (it can no
                    -- longer be deleted), not when it is inserted: an out-of-stock
                    -- attempt, deleted, must not leave a gap in the receipts.
                    -- Until then seq and number are NULL (UNIQUE allows many NULLs).
                    ALTER TABLE orders.orders
                        ALTER COLUMN seq DROP NOT NULL,
                        ALTER COLUMN number DROP NOT NULL;
                    """),
        ])
}
