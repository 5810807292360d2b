import Events
import Postgres

/// The `restaurant` schema, owned by the `banyan_restaurant` role.
/// Migrations are append-only: an applied one is never edited.
package enum RestaurantSchema {
    package static let module = ModuleSchema(
        name: "restaurant",
        migrations: [
            Migration(
                version: 1, name: "profile, menu items, kitchen tickets, outbox",
                sql: """
                    -- At most one row per tenant; a tenant without one reads the defaults.
                    CREATE TABLE restaurant.profile (
                        tenant_id  text PRIMARY KEY,
                        name       text NOT NULL,
                        address    text,
                        phone      text,
                        currency   text NOT NULL,
                        updated_at timestamptz NOT NULL DEFAULT now()
                    );
                    -- Deleted items stay (deleted_at set) so orders that sold them keep their history.
                    CREATE TABLE restaurant.menu_items (
                        id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
                        tenant_id   text NOT NULL,
                        name        text NOT NULL,
                        description text NOT NULL DEFAULT '',
                        price_cents bigint NOT NULL CHECK (price_cents >= 0),
                        currency    text NOT NULL,
                        category    text,
                        available   boolean NOT NULL DEFAULT true,
                        created_at  timestamptz NOT NULL DEFAULT now(),
                        updated_at  timestamptz NOT NULL DEFAULT now(),
                        deleted_at  timestamptz
                    );
                    CREATE INDEX menu_items_listing ON restaurant.menu_items (tenant_id, category, name)
                        WHERE deleted_at IS NULL;
                    -- One ticket per order: the unique key is what makes opening one idempotent.
                    CREATE TABLE restaurant.kitchen_tickets (
                        id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
                        tenant_id    text NOT NULL,
                        order_id     text NOT NULL,
                        order_number text NOT NULL,
                        items        jsonb NOT NULL,
                        status       text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done')),
                        created_at   timestamptz NOT NULL DEFAULT now(),
                        done_at      timestamptz,
                        UNIQUE (tenant_id, order_id)
                    );
                    CREATE INDEX kitchen_tickets_open ON restaurant.kitchen_tickets (tenant_id, created_at)
                        WHERE status = 'open';
                    \(RowLevelSecurity.tenantIsolationSQL(table: "restaurant.profile"))
                    \(RowLevelSecurity.tenantIsolationSQL(table: "restaurant.menu_items"))
                    \(RowLevelSecurity.tenantIsolationSQL(table: "restaurant.kitchen_tickets"))
                    \(Outbox.migrationSQL(schema: "restaurant"))
                    """)
        ])
}
