-- setup: CREATE TABLE messages (id int PRIMARY KEY, thread int, at timestamptz); CREATE INDEX messages_thread_idx ON messages (thread);
DROP INDEX IF EXISTS messages_thread_idx;
CREATE INDEX messages_thread_idx ON messages (thread, at DESC);
CREATE INDEX messages_at_idx ON messages (at);
