-- Roles are cluster-wide: a second run on any database of the server fails here.
CREATE ROLE lint_corpus_reporting NOLOGIN;
GRANT USAGE ON SCHEMA public TO lint_corpus_reporting;
