-- setup: CREATE TABLE events (id int, at timestamptz); CREATE UNIQUE INDEX events_id_new ON events (id);
-- Promote a prebuilt unique index to the primary key.
ALTER TABLE events DROP CONSTRAINT IF EXISTS events_pkey;
ALTER TABLE events ALTER COLUMN id SET NOT NULL;
