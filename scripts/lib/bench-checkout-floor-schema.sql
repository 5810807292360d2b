-- scripts/bench orders: the tables of "a checkout's commits alone" (see
-- bench-checkout-floor.sql), made in the throwaway pgbench cluster: one
-- restaurant, one menu item with its stock, as the checkout runs measure.
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
INSERT INTO floor_menu VALUES (1, 1, 1250);
INSERT INTO floor_counters VALUES (1, 0);
INSERT INTO floor_stock VALUES (1, 1, 1000000000, 0);
VACUUM ANALYZE;
