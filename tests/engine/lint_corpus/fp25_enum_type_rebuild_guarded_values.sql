DROP TYPE IF EXISTS shipment_state;
CREATE TYPE shipment_state AS ENUM ('new', 'sent');
ALTER TYPE shipment_state ADD VALUE 'delivered' AFTER 'sent';
ALTER TYPE shipment_state RENAME VALUE 'new' TO 'created';
