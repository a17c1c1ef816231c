-- setup: CREATE TABLE orders (id int PRIMARY KEY, amount text); INSERT INTO orders VALUES (1, '10.50'), (2, '3');
-- Change the column type by copying into a new column.
ALTER TABLE orders RENAME COLUMN amount TO amount_old;
ALTER TABLE orders ADD COLUMN amount numeric(12, 2);
UPDATE orders SET amount = amount_old::numeric;
ALTER TABLE orders DROP COLUMN amount_old;
