-- setup: CREATE TABLE categories (id int PRIMARY KEY, name text NOT NULL);
INSERT INTO categories (id, name) VALUES (1, 'Books'), (2, 'Music')
ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name
WHERE categories.name IS DISTINCT FROM EXCLUDED.name;
