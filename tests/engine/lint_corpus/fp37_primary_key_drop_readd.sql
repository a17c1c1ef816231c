-- setup: CREATE TABLE memberships (tenant_id int NOT NULL, user_id int NOT NULL, role text, CONSTRAINT memberships_pkey PRIMARY KEY (user_id)); INSERT INTO memberships VALUES (1, 1, 'owner');
-- Widen the primary key in two statements: the unnamed ADD takes the default name
-- memberships_pkey again, so a second run finds the key it drops.
ALTER TABLE memberships DROP CONSTRAINT memberships_pkey;
ALTER TABLE memberships ADD PRIMARY KEY (tenant_id, user_id);
