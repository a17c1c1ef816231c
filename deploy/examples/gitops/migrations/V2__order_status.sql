CREATE TABLE IF NOT EXISTS orders.order_status (
    code  text PRIMARY KEY,
    label text NOT NULL
);
ALTER TABLE orders.orders ADD COLUMN IF NOT EXISTS status text REFERENCES orders.order_status (code);
