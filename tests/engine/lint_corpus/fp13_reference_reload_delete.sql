-- setup: CREATE TABLE countries (code text PRIMARY KEY, name text NOT NULL);
-- Reference data owned by this migration: reload it completely.
DELETE FROM countries;
INSERT INTO countries (code, name) VALUES
    ('DE', 'Germany'),
    ('FR', 'France'),
    ('NL', 'Netherlands');
