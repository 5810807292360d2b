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
                    """),
            Migration(
                version: 2, name: "menu names unique per restaurant",
                sql: """
                    -- A live menu name is unique in its restaurant, ignoring case and
                    -- surrounding spaces: two "Burrito"s cannot be told apart by a
                    -- cashier or the chat assistant. Deleted items keep their names
                    -- and do not count. The index, not a check in the service, is the
                    -- rule, so two concurrent creates cannot both pass (the loser gets
                    -- 409 menu_item_exists).
                    --
                    -- A database may already hold duplicates, and this migration must
                    -- not fail on them: in each group the oldest item (created_at, then
                    -- id) keeps its name, and every later one is renamed, in that order,
                    -- to "<name> (2)", "(3)", …, skipping a suffix some live item of the
                    -- restaurant already has. Managers see and can rename the result.
                    -- Row-level security is forced on the table, so the owner would see
                    -- no rows: it is lifted for the repair, inside this transaction.
                    ALTER TABLE restaurant.menu_items NO FORCE ROW LEVEL SECURITY;
                    DO $repair$
                    DECLARE
                        duplicate record;
                        candidate text;
                        suffix int;
                    BEGIN
                        FOR duplicate IN
                            SELECT id, tenant_id, btrim(name) AS base FROM (
                                SELECT id, tenant_id, name, created_at,
                                       row_number() OVER (PARTITION BY tenant_id, lower(btrim(name))
                                                          ORDER BY created_at, id) AS rank
                                FROM restaurant.menu_items WHERE deleted_at IS NULL
                            ) ranked
                            WHERE rank > 1
                            ORDER BY tenant_id, lower(btrim(name)), created_at, id
                        LOOP
                            suffix := 2;
                            LOOP
                                candidate := duplicate.base || ' (' || suffix || ')';
                                EXIT WHEN NOT EXISTS (
                                    SELECT 1 FROM restaurant.menu_items
                                    WHERE tenant_id = duplicate.tenant_id AND deleted_at IS NULL
                                      AND lower(btrim(name)) = lower(candidate));
                                suffix := suffix + 1;
                            END LOOP;
                            UPDATE restaurant.menu_items SET name = candidate, updated_at = now()
                            WHERE id = duplicate.id;
                        END LOOP;
                    END
                    $repair$;
                    ALTER TABLE restaurant.menu_items FORCE ROW LEVEL SECURITY;
                    CREATE UNIQUE INDEX menu_items_unique_name
                        ON restaurant.menu_items (tenant_id, lower(btrim(name))) WHERE deleted_at IS NULL;
                    """),
        ])
}
