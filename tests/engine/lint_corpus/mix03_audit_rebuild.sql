-- setup: CREATE TABLE audit_trail (id bigserial PRIMARY KEY, msg text); INSERT INTO audit_trail (msg) VALUES ('old');
-- between: INSERT INTO audit_trail (msg) VALUES ('app')
DROP TABLE IF EXISTS audit_trail CASCADE;
CREATE TABLE audit_trail (id bigserial PRIMARY KEY, msg text NOT NULL, at timestamptz DEFAULT now());
CREATE INDEX audit_trail_at_idx ON audit_trail (at);
INSERT INTO audit_trail (msg) VALUES ('audit table rebuilt');
CREATE OR REPLACE FUNCTION audit_write(m text) RETURNS void LANGUAGE sql AS $$ INSERT INTO audit_trail (msg) VALUES (m) $$;
