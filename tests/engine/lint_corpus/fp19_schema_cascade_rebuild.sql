-- setup: CREATE SCHEMA reporting; CREATE TABLE reporting.daily (day date PRIMARY KEY, n int);
DROP SCHEMA reporting CASCADE;
CREATE SCHEMA reporting;
CREATE TABLE reporting.daily (day date PRIMARY KEY, n int NOT NULL DEFAULT 0);
CREATE INDEX daily_n_idx ON reporting.daily (n);
