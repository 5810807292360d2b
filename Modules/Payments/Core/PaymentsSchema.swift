import Events
import Postgres

/// The `payments` schema, owned by the `banyan_payments` role. Migrations are
/// append-only: an applied one is never edited (its checksum is recorded).
public enum PaymentsSchema {
    public static let module = ModuleSchema(
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
        ])
}
