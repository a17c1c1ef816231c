CREATE TABLE IF NOT EXISTS notes (id int PRIMARY KEY, body text);
COMMIT;
BEGIN;
CREATE INDEX IF NOT EXISTS notes_body_idx ON notes (body);
