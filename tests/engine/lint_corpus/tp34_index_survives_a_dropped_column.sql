-- setup: CREATE TABLE sets (id int PRIMARY KEY, tenant text, deleted boolean, complete boolean); CREATE INDEX sets_old_idx ON sets (tenant); INSERT INTO sets VALUES (1, 't', false, true);
-- Dropping a column drops only the indexes on that column: the new index is still there
-- on a second run, so its CREATE fails (seen in a real Flyway set).
DROP INDEX IF EXISTS sets_old_idx;
CREATE INDEX sets_tenant_deleted_idx ON sets USING btree (tenant, deleted);
ALTER TABLE sets DROP COLUMN IF EXISTS complete;
