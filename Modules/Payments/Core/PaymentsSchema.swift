import Events
import Postgres

/// The `payments` schema, owned by the `banyan_payments` role. Migrations are
/// append-only: an applied one is never edited (its checksum is recorded).
package enum PaymentsSchema {
    package static let module = ModuleSchema(
        name: "payments",
        migrations: [
            Migration(
                version: 1, name: "payments and outbox",
                sql: """
                    CREATE TABLE payments.payments (
                        id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
                        tenant_id           text NOT NULL,
                        idempotency_key     text NOT NULL,
                        order_id            text,
                        amount_cents        bigint NOT NULL CHECK (amount_cents > 0),
                        currency            text NOT NULL,
                        method              text NOT NULL CHECK (method IN ('cash', 'card')),
                        status              text NOT NULL
                                            CHECK (status IN ('pending', 'captured', 'declined', 'refunded')),
                        processor_reference text,
                        failure_code        text,
                        refund_reason       text,
                        created_at          timestamptz NOT NULL DEFAULT now(),
                        updated_at          timestamptz NOT NULL DEFAULT now(),
                        refunded_at         timestamptz
                    );
                    -- The idempotency wall: one charge per key and restaurant, whatever the concurrency.
                    CREATE UNIQUE INDEX payments_tenant_idempotency_key
                        ON payments.payments (tenant_id, idempotency_key);
                    CREATE INDEX payments_tenant_order
                        ON payments.payments (tenant_id, order_id, created_at DESC) WHERE order_id IS NOT NULL;
                    \(RowLevelSecurity.tenantIsolationSQL(table: "payments.payments"))
                    \(Outbox.migrationSQL(schema: "payments"))
                    """),
            Migration(
                version: 2, name: "reconciliation",
                sql: """
                    -- The card token, kept only while the charge is pending, so a
                    -- sweep can ask the processor again with the same key.
                    ALTER TABLE payments.payments
                        ADD COLUMN card_token    text,
                        ADD COLUMN reconciled_at timestamptz;
                    CREATE INDEX payments_unreconciled ON payments.payments (updated_at)
                        WHERE status = 'pending' OR (status = 'captured' AND reconciled_at IS NULL);
                    -- The sweep finds unsettled payments in every restaurant: it may
                    -- read payments (and act on each in its own tenant's transaction).
                    CREATE POLICY reconciliation ON payments.payments FOR SELECT
                        USING (current_setting('app.reconciliation', true) = 'on');
                    -- What each sweep found and did, for operators (GET /admin/reconciliation).
                    CREATE TABLE payments.reconciliation_sweeps (
                        id          uuid PRIMARY KEY,
                        started_at  timestamptz NOT NULL,
                        finished_at timestamptz NOT NULL,
                        examined    int NOT NULL
                    );
                    CREATE TABLE payments.reconciliation_findings (
                        sweep_id   uuid NOT NULL REFERENCES payments.reconciliation_sweeps (id) ON DELETE CASCADE,
                        position   int NOT NULL,
                        tenant_id  text NOT NULL,
                        payment_id uuid NOT NULL,
                        order_id   text,
                        found      text NOT NULL,
                        action     text NOT NULL,
                        detail     text,
                        PRIMARY KEY (sweep_id, position)
                    );
                    CREATE INDEX reconciliation_sweeps_recent ON payments.reconciliation_sweeps (started_at DESC);
                    """),
        ])
}
