-- setup: CREATE TABLE currencies (code text PRIMARY KEY, digits int NOT NULL);
TRUNCATE currencies;
INSERT INTO currencies VALUES ('EUR', 2), ('JPY', 0);
