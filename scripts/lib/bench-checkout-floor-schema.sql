-- scripts/bench orders: the tables of "a checkout's commits alone" (see
-- bench-checkout-floor.sql), made in the throwaway pgbench cluster: one
-- restaurant with one menu item and its stock, as the checkout runs
-- measure (pgbench -D tenants=1 -D items=1; more spread the load).
-- No row-level security, no outbox, no roles: a floor, not a copy.
CREATE TABLE floor_menu (tenant int, item int, price_cents bigint NOT NULL, PRIMARY KEY (tenant, item));
CREATE TABLE floor_counters (tenant int PRIMARY KEY, next_number bigint NOT NULL);
CREATE TABLE floor_orders (
    id bigint PRIMARY KEY, tenant int NOT NULL, status text NOT NULL, number bigint,
    total_cents bigint NOT NULL, created_at timestamptz NOT NULL DEFAULT now());
CREATE TABLE floor_stock (tenant int, item int, on_hand int NOT NULL, reserved int NOT NULL, PRIMARY KEY (tenant, item));
CREATE TABLE floor_reservations (
    key bigint PRIMARY KEY, tenant int NOT NULL, item int NOT NULL, quantity int NOT NULL, status text NOT NULL);
CREATE TABLE floor_payments (
    key bigint PRIMARY KEY, tenant int NOT NULL, amount_cents bigint NOT NULL, status text NOT NULL);
INSERT INTO floor_menu SELECT t, i, 1250 FROM generate_series(1, :tenants) t, generate_series(1, :items) i;
INSERT INTO floor_counters SELECT t, 0 FROM generate_series(1, :tenants) t;
INSERT INTO floor_stock SELECT t, i, 1000000000, 0 FROM generate_series(1, :tenants) t, generate_series(1, :items) i;
VACUUM ANALYZE;
