-- known-miss: the second run swaps the column names back; lint does not report a rename that succeeds again
-- setup: CREATE TABLE people (id int, first_name text, last_name text); INSERT INTO people VALUES (1, 'Doe', 'Jane');
-- The columns were filled the wrong way round: swap their names.
ALTER TABLE people RENAME COLUMN first_name TO name_tmp;
ALTER TABLE people RENAME COLUMN last_name TO first_name;
ALTER TABLE people RENAME COLUMN name_tmp TO last_name;
