-- setup: CREATE TABLE sales (id int, region text, amount numeric);
DROP VIEW IF EXISTS region_totals;
CREATE VIEW region_totals AS SELECT region, sum(amount) AS total FROM sales GROUP BY region;
CREATE VIEW top_regions AS SELECT * FROM region_totals ORDER BY total DESC LIMIT 5;
