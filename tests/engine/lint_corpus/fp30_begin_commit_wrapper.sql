BEGIN;
CREATE TABLE IF NOT EXISTS notes (id int PRIMARY KEY, body text);
CREATE INDEX IF NOT EXISTS notes_body_idx ON notes (body);
COMMIT;
