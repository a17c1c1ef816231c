-- setup: CREATE TABLE people (id int PRIMARY KEY, name text); INSERT INTO people VALUES (1, 'Jane Doe');
-- Move name into full_name and drop it: a second run's UPDATE finds no column name.
ALTER TABLE people ADD COLUMN IF NOT EXISTS full_name text;
UPDATE people SET full_name = name WHERE full_name IS NULL;
ALTER TABLE people DROP COLUMN IF EXISTS name;
