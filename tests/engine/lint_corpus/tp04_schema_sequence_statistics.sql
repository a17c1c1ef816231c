-- setup: CREATE TABLE accounts (id bigint PRIMARY KEY, email text NOT NULL, name text); INSERT INTO accounts VALUES (1, 'a@x', 'A'), (2, 'b@x', 'B');
CREATE SCHEMA audit;
CREATE SEQUENCE audit.event_seq;
CREATE STATISTICS accounts_email_name ON email, name FROM accounts;
