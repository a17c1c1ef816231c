-- setup: CREATE TABLE authors (id int PRIMARY KEY); CREATE TABLE books (id int PRIMARY KEY, author_id int REFERENCES authors (id)); INSERT INTO authors VALUES (1); INSERT INTO books VALUES (1, 1);
-- Deleting an author deletes their books: replace the foreign key. The unnamed ADD gets
-- PostgreSQL's default name books_author_id_fkey again, so a second run drops and re-adds it.
ALTER TABLE books DROP CONSTRAINT books_author_id_fkey;
ALTER TABLE books ADD FOREIGN KEY (author_id) REFERENCES authors (id) ON DELETE CASCADE;
