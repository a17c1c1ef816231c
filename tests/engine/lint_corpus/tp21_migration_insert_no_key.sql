-- setup: CREATE TABLE audit_events (at timestamptz DEFAULT now(), msg text);
INSERT INTO audit_events (msg) VALUES ('schema upgraded to 2.0');
