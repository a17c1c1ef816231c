-- setup: CREATE TABLE products (id int PRIMARY KEY, name text); INSERT INTO products VALUES (1, 'pen'), (2, 'ink');
-- A temporary table is created again by every run (it is gone with the session), keys and all.
CREATE TEMP TABLE product_names AS SELECT id, upper(name) AS name FROM products;
ALTER TABLE product_names ADD PRIMARY KEY (id);
UPDATE products p SET name = n.name FROM product_names n WHERE n.id = p.id;
