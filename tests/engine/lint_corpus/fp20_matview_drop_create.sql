-- setup: CREATE TABLE accounts (id bigint PRIMARY KEY, email text NOT NULL, name text); INSERT INTO accounts VALUES (1, 'a@x', 'A'), (2, 'b@x', 'B'); CREATE MATERIALIZED VIEW account_counts AS SELECT count(*) AS n FROM accounts;
DROP MATERIALIZED VIEW account_counts;
CREATE MATERIALIZED VIEW account_counts AS
SELECT name, count(*) AS n FROM accounts GROUP BY name;
