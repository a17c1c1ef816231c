-- setup: CREATE TABLE audit_log (id bigint NOT NULL, msg text);
ALTER TABLE audit_log ADD PRIMARY KEY (id);
