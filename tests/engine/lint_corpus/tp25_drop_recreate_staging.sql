-- setup: CREATE TABLE import_staging (line int, payload text); INSERT INTO import_staging VALUES (1, 'x');
-- between: INSERT INTO import_staging VALUES (2, '"written by the app"')
DROP TABLE IF EXISTS import_staging;
CREATE TABLE import_staging (line int, payload jsonb);
