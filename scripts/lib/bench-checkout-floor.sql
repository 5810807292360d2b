-- scripts/bench orders: a checkout's commits alone, as pgbench runs them.
-- One pgbench transaction is one cash checkout of the checkout runs' shape
-- (one restaurant, one item), each module's step its own transaction as the
-- saga requires (every module owns its schema, its role and its pool), each
-- step in one round trip (a pipeline), in the least SQL that records it:
-- price, the pending order (not waiting for the disk), the reservation
-- (durable before any charge), the payment, the sale, the numbered
-- settlement. Left out, so that this is a floor: row-level security and the
-- tenant setting, the outbox events, the kitchen ticket, the idempotency
-- checks, JSON, HTTP. Keys are drawn at random from 2^62 (a collision in a
-- run has odds below 10^-9). `tenants` and `items` (pgbench -D, 1 and 1
-- unless BENCH_FLOOR_TENANTS / BENCH_FLOOR_ITEMS say otherwise) spread the
-- checkouts over restaurants and their items.
\set tenant random(1, :tenants)
\set item random(1, :items)
\set key random(1, 4611686018427387904)
\startpipeline
SELECT price_cents FROM floor_menu WHERE tenant = :tenant AND item = :item;
\endpipeline
\startpipeline
BEGIN;
SET LOCAL synchronous_commit = off;
INSERT INTO floor_orders (id, tenant, status, total_cents) VALUES (:key, :tenant, 'pending', 1250);
COMMIT;
\endpipeline
\startpipeline
BEGIN;
SELECT on_hand, reserved FROM floor_stock WHERE tenant = :tenant AND item = :item FOR UPDATE;
INSERT INTO floor_reservations (key, tenant, item, quantity, status) VALUES (:key, :tenant, :item, 1, 'held');
UPDATE floor_stock SET reserved = reserved + 1 WHERE tenant = :tenant AND item = :item;
COMMIT;
\endpipeline
\startpipeline
INSERT INTO floor_payments (key, tenant, amount_cents, status) VALUES (:key, :tenant, 1250, 'captured');
\endpipeline
\startpipeline
BEGIN;
UPDATE floor_reservations SET status = 'committed' WHERE key = :key AND status = 'held';
UPDATE floor_stock SET on_hand = on_hand - 1, reserved = reserved - 1 WHERE tenant = :tenant AND item = :item;
COMMIT;
\endpipeline
\startpipeline
WITH numbered AS (UPDATE floor_counters SET next_number = next_number + 1 WHERE tenant = :tenant RETURNING next_number)
UPDATE floor_orders SET status = 'completed', number = (SELECT next_number FROM numbered) WHERE id = :key;
\endpipeline
