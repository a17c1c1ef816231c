-- setup: CREATE TABLE visits (id int, page text); CREATE VIEW page_hits AS SELECT page, count(*) AS n FROM visits GROUP BY page;
-- The view goes with the table (CASCADE) and is created again below.
-- between: INSERT INTO visits VALUES (1, '/home')
DROP TABLE IF EXISTS visits CASCADE;
CREATE TABLE visits (id int, page text, at timestamptz);
CREATE VIEW page_hits AS SELECT page, count(*) AS n FROM visits GROUP BY page;
