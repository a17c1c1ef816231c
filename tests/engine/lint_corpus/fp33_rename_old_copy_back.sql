-- setup: CREATE TABLE products (id int PRIMARY KEY, name text); INSERT INTO products VALUES (1, 'pen'), (2, 'ink');
-- between: INSERT INTO products (id, name) VALUES (3, 'added by the app')
-- Rebuild products with a new column order: move the old table aside and copy it back.
ALTER TABLE products RENAME TO products_old;
CREATE TABLE products (id int PRIMARY KEY, sku text, name text);
INSERT INTO products (id, name) SELECT id, name FROM products_old;
DROP TABLE products_old;
