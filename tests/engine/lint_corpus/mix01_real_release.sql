-- setup: CREATE TABLE products (id int PRIMARY KEY, sku text, price numeric); INSERT INTO products VALUES (1, 'A-1', 9.99);
-- Release 3.2: product catalogue changes.
ALTER TABLE products ADD COLUMN IF NOT EXISTS description text;
ALTER TABLE products ADD COLUMN stock int NOT NULL DEFAULT 0;
CREATE INDEX IF NOT EXISTS products_sku_idx ON products (sku);
CREATE UNIQUE INDEX products_sku_key ON products (sku);
CREATE OR REPLACE VIEW products_in_stock AS SELECT * FROM products WHERE stock > 0;
INSERT INTO products (id, sku, price) VALUES (2, 'B-2', 19.99);
