-- setup: CREATE TABLE roles (name text PRIMARY KEY, description text);
INSERT INTO roles (name, description) VALUES ('admin', 'Full access'), ('viewer', 'Read only');
