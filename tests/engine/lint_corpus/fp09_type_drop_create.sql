-- setup: CREATE TYPE ticket_status AS ENUM ('open', 'closed');
DROP TYPE ticket_status;
CREATE TYPE ticket_status AS ENUM ('open', 'pending', 'closed');
ALTER TYPE ticket_status ADD VALUE 'archived';
