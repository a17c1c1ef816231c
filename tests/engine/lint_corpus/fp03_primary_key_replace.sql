-- setup: CREATE TABLE memberships (tenant_id int NOT NULL, user_id int NOT NULL, role text, CONSTRAINT memberships_pkey PRIMARY KEY (user_id)); INSERT INTO memberships VALUES (1, 1, 'owner');
-- Memberships become per tenant: widen the primary key.
ALTER TABLE memberships DROP CONSTRAINT memberships_pkey, ADD PRIMARY KEY (tenant_id, user_id);
