-- setup: CREATE TABLE orders (id int, total numeric); INSERT INTO orders VALUES (1, 10), (2, NULL);
-- Rebuild orders with a key and a default; the rows are copied out first in a WITH ... INSERT.
CREATE TABLE IF NOT EXISTS orders_backup (id int PRIMARY KEY, total numeric);
WITH old AS (SELECT id, total FROM orders)
INSERT INTO orders_backup SELECT id, total FROM old ON CONFLICT (id) DO NOTHING;
DROP TABLE IF EXISTS orders;
CREATE TABLE orders (id int PRIMARY KEY, total numeric NOT NULL DEFAULT 0);
INSERT INTO orders SELECT id, coalesce(total, 0) FROM orders_backup ON CONFLICT (id) DO NOTHING;
