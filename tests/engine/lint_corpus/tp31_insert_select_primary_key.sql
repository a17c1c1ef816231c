-- setup: CREATE TABLE customers (id int PRIMARY KEY, email text); INSERT INTO customers VALUES (1, 'a@x'), (2, 'b@x'); CREATE TABLE contacts (customer_id int PRIMARY KEY, email text);
-- Copy every customer's email into contacts: a second run copies the same keys again.
INSERT INTO contacts (customer_id, email) SELECT id, email FROM customers;
