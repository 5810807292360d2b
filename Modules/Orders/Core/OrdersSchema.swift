import Events
import Postgres

/// The `orders` schema, owned by the `banyan_orders` role.
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
        ])
}
