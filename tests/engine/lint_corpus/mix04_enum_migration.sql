-- setup: CREATE TYPE order_state AS ENUM ('new', 'done'); CREATE TABLE orders (id int PRIMARY KEY, state order_state);
ALTER TYPE order_state ADD VALUE IF NOT EXISTS 'cancelled';
ALTER TYPE order_state RENAME VALUE 'done' TO 'completed';
CREATE TYPE order_channel AS ENUM ('web', 'phone');
ALTER TABLE orders ADD COLUMN IF NOT EXISTS channel order_channel;
