DROP DOMAIN IF EXISTS email_address;
CREATE DOMAIN email_address AS text CHECK (VALUE ~ '^[^@]+@[^@]+$');
