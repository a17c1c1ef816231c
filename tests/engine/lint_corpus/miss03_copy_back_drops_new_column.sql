-- known-miss: the copy back lists the old columns only, so sku values written since the first run are lost; lint takes any copy as keeping the data
-- setup: CREATE TABLE products (id int PRIMARY KEY, name text); INSERT INTO products VALUES (1, 'pen'), (2, 'ink');
-- between: INSERT INTO products (id, sku, name) VALUES (3, 'P-3', 'added by the app')
-- Rebuild products with a new column order: move the old table aside and copy it back.
ALTER TABLE products RENAME TO products_old;
CREATE TABLE products (id int PRIMARY KEY, sku text, name text);
INSERT INTO products (id, name) SELECT id, name FROM products_old;
DROP TABLE products_old;
