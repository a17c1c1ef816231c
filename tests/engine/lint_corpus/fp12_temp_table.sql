-- setup: CREATE TABLE accounts (id bigint PRIMARY KEY, email text NOT NULL, name text); INSERT INTO accounts VALUES (1, 'a@x', 'A'), (2, 'b@x', 'B');
CREATE TEMP TABLE renames (old_email text, new_email text);
INSERT INTO renames VALUES ('b@x', 'b@example.org');
UPDATE accounts a SET email = r.new_email FROM renames r WHERE a.email = r.old_email;
