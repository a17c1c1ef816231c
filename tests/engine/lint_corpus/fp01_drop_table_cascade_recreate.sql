-- setup: CREATE TABLE accounts (id bigint PRIMARY KEY, email text NOT NULL, name text); INSERT INTO accounts VALUES (1, 'a@x', 'A'), (2, 'b@x', 'B');
-- between: INSERT INTO accounts VALUES (3, 'c@x', 'app row')
-- Rebuild accounts with a new layout (the old one is dropped with its dependents).
DROP TABLE accounts CASCADE;

CREATE TABLE accounts (
    id bigint PRIMARY KEY,
    email text NOT NULL,
    display_name text
);
