import Events
import Postgres

/// The `inventory` schema, owned by the `banyan_inventory` role.
/// Migrations are append-only: an applied one is never edited.
package enum InventorySchema {
    package static let module = ModuleSchema(
        name: "inventory",
        migrations: [
            Migration(
                version: 1, name: "stock, reservations, movements, outbox",
                sql: """
                    -- An item without a row is untracked: always available, never held.
                    -- The checks are the last wall against overselling, whatever the code does.
                    CREATE TABLE inventory.stock (
                        tenant_id           text NOT NULL,
                        menu_item_id        uuid NOT NULL,
                        on_hand             integer NOT NULL CHECK (on_hand >= 0),
                        reserved            integer NOT NULL DEFAULT 0 CHECK (reserved >= 0 AND reserved <= on_hand),
                        low_stock_threshold integer NOT NULL DEFAULT 0 CHECK (low_stock_threshold >= 0),
                        updated_at          timestamptz NOT NULL DEFAULT now(),
                        PRIMARY KEY (tenant_id, menu_item_id)
                    );
                    -- The key is the caller's (e.g. order:<id>); unique per tenant so a
                    -- repeated reserve finds the first one instead of holding twice.
                    -- `lines` are merged per item and say which were held (tracked then).
                    CREATE TABLE inventory.reservations (
                        tenant_id  text NOT NULL,
                        key        text NOT NULL,
                        status     text NOT NULL CHECK (status IN ('held', 'committed', 'released')),
                        lines      jsonb NOT NULL,
                        created_at timestamptz NOT NULL DEFAULT now(),
                        updated_at timestamptz NOT NULL DEFAULT now(),
                        PRIMARY KEY (tenant_id, key)
                    );
                    -- The audit trail of every change to on_hand or to what a sale holds.
                    CREATE TABLE inventory.stock_movements (
                        id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                        tenant_id       text NOT NULL,
                        menu_item_id    uuid NOT NULL,
                        on_hand_delta   integer NOT NULL,
                        reserved_delta  integer NOT NULL,
                        reason          text NOT NULL,
                        reservation_key text,
                        user_id         text,
                        created_at      timestamptz NOT NULL DEFAULT now()
                    );
                    CREATE INDEX stock_movements_item ON inventory.stock_movements (tenant_id, menu_item_id, id);
                    \(RowLevelSecurity.tenantIsolationSQL(table: "inventory.stock"))
                    \(RowLevelSecurity.tenantIsolationSQL(table: "inventory.reservations"))
                    \(RowLevelSecurity.tenantIsolationSQL(table: "inventory.stock_movements"))
                    \(Outbox.migrationSQL(schema: "inventory"))
                    """)
        ])
}
