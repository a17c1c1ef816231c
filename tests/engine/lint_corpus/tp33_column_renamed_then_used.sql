-- setup: CREATE TABLE accounts (id int PRIMARY KEY, login text); INSERT INTO accounts VALUES (1, 'Jane');
-- Normalise logins, then rename the column: a second run's UPDATE finds no column login.
UPDATE accounts SET login = lower(login);
ALTER TABLE accounts RENAME COLUMN login TO username;
