CREATE TYPE priority AS ENUM ('low', 'high');
CREATE TYPE money_pair AS (amount numeric, currency text);
CREATE DOMAIN percentage AS numeric CHECK (VALUE BETWEEN 0 AND 100);
