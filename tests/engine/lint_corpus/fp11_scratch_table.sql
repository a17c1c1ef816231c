-- setup: CREATE TABLE accounts (id bigint PRIMARY KEY, email text NOT NULL, name text); INSERT INTO accounts VALUES (1, 'a@x', 'A'), (2, 'b@x', 'B');
-- Work table used only while this migration runs.
CREATE TABLE tmp_email_fix (id bigint PRIMARY KEY, email text);
INSERT INTO tmp_email_fix VALUES (1, 'a@example.org');
UPDATE accounts a SET email = f.email FROM tmp_email_fix f WHERE f.id = a.id;
DROP TABLE tmp_email_fix;
