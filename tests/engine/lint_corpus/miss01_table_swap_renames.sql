-- known-miss: the second run swaps the two tables back; lint does not report a rename that succeeds again
-- setup: CREATE TABLE prices_live (sku text, amount numeric); CREATE TABLE prices_next (sku text, amount numeric); INSERT INTO prices_next VALUES ('a', 2);
-- Blue/green swap of two tables through a temporary name.
ALTER TABLE prices_live RENAME TO prices_swap;
ALTER TABLE prices_next RENAME TO prices_live;
ALTER TABLE prices_swap RENAME TO prices_next;
