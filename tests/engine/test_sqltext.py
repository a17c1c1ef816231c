"""pglast-based analysis: which files must run outside a transaction, and what is refused."""

from __future__ import annotations

import re

import pytest

from db_migrate.engine.errors import InvalidInput
from db_migrate.engine.scripts import Kind, Script
from db_migrate.engine.sqltext import analyze
from db_migrate.engine.version import Version


def script(text: str) -> Script:
    return Script(Kind.MIGRATION, "V1__x.sql", "migrations/db/V1__x.sql", text, "0" * 64, Version.of(1), "x")


@pytest.mark.parametrize(("sql", "reason"), [
    ("CREATE INDEX CONCURRENTLY IF NOT EXISTS i ON t (a);", "CREATE INDEX CONCURRENTLY"),
    ("DROP INDEX CONCURRENTLY IF EXISTS i;", "DROP INDEX CONCURRENTLY"),
    ("REINDEX (CONCURRENTLY) INDEX i;", "REINDEX CONCURRENTLY"),
    ("REINDEX INDEX CONCURRENTLY i;", "REINDEX CONCURRENTLY"),
    ("REINDEX SCHEMA app;", "REINDEX SCHEMA/DATABASE/SYSTEM"),
    ("VACUUM (ANALYZE) t;", "VACUUM"),
    ("CLUSTER;", "CLUSTER without a table"),
    ("DISCARD ALL;", "DISCARD ALL"),
    ("ALTER SYSTEM SET work_mem = '8MB';", "ALTER SYSTEM"),
    ("CREATE DATABASE other;", "CREATE DATABASE"),
    ("DROP DATABASE IF EXISTS other;", "DROP DATABASE"),
])
def test_statements_postgres_refuses_in_a_transaction_make_the_file_non_transactional(
        sql: str, reason: str) -> None:
    analysis = analyze(script(f"SELECT 1;\n\n{sql}\n"))
    assert not analysis.transactional
    assert analysis.reason == f"line 3: {reason}"
    assert [s.line for s in analysis.statements or []] == [1, 3]


@pytest.mark.parametrize("sql", [
    "ANALYZE t;",
    "CLUSTER t USING i;",
    "CREATE INDEX IF NOT EXISTS i ON t (a);",
    "DO $$ BEGIN PERFORM 1; END $$;",
    "CREATE OR REPLACE PROCEDURE p() LANGUAGE plpgsql AS $$ BEGIN COMMIT; END $$;",
    "SELECT 'CREATE INDEX CONCURRENTLY' AS text_only, 'BEGIN; COMMIT;' AS more;",
    "DISCARD TEMP;",
])
def test_ordinary_statements_and_keywords_inside_bodies_or_strings_stay_transactional(sql: str) -> None:
    analysis = analyze(script(sql))
    assert analysis.transactional and analysis.reason is None


@pytest.mark.parametrize("sql", [
    "BEGIN;\nSELECT 1;\nCOMMIT;\nSELECT 2;",
    "SELECT 1;\nBEGIN;\nSELECT 2;\nCOMMIT;",
    "BEGIN;\nSELECT 1;\nCOMMIT;\nBEGIN;\nSELECT 2;\nROLLBACK;",
    "BEGIN ISOLATION LEVEL SERIALIZABLE;\nSELECT 1;\nCOMMIT;",
    "SELECT 1;\nCOMMIT;\nSELECT 2;\nCOMMIT;",
    "BEGIN;\nSELECT 1;\nCOMMIT AND CHAIN;\nSELECT 2;\nCOMMIT;",
    "BEGIN;\nSELECT 1;\nCOMMIT;\nCREATE INDEX CONCURRENTLY IF NOT EXISTS i ON t (a);",
])
def test_a_file_with_its_own_blocks_runs_as_written_statement_by_statement(sql: str) -> None:
    analysis = analyze(script(sql))
    assert not analysis.transactional and analysis.as_written and not analysis.unwrapped
    assert analysis.text == sql
    assert len(analysis.statements or []) == sql.count(";")
    assert analysis.reason is not None and analysis.reason.startswith("line ")


@pytest.mark.parametrize(("sql", "statements"), [
    ("BEGIN;\nSELECT 1;\nCOMMIT;", ["SELECT 1"]),
    ("START TRANSACTION;\nSELECT 1;\nSELECT 2;", ["SELECT 1", "SELECT 2"]),
    ("SELECT 1;\nCOMMIT;", ["SELECT 1"]),
    ("SELECT 1;\nEND;", ["SELECT 1"]),
    ("COMMIT;", []),
])
def test_a_lone_leading_begin_or_trailing_commit_is_a_wrapper_like_the_pair(
        sql: str, statements: list[str]) -> None:
    analysis = analyze(script(sql))
    assert analysis.transactional and analysis.unwrapped and not analysis.as_written
    assert [s.text for s in analysis.statements or []] == statements
    assert len(analysis.text) == len(sql) and analysis.text.count("\n") == sql.count("\n")


@pytest.mark.parametrize(("sql", "message"), [
    ("ABORT;", "line 1: ROLLBACK outside a BEGIN block undoes nothing"),
    ("SELECT 1;\nROLLBACK;", "line 2: ROLLBACK outside a BEGIN block undoes nothing"),
    ("PREPARE TRANSACTION 'x';", "line 1: PREPARE TRANSACTION (two-phase commit) cannot run"),
    ("BEGIN;\nSELECT 1;\nCOMMIT;\nBEGIN;\nSELECT 2;",
     "line 4: this transaction block is never committed"),
    ("SELECT 0;\nBEGIN;\nBEGIN;\nCOMMIT;", "line 3: BEGIN inside the block opened at line 2"),
    ("BEGIN;\nSELECT 1;\nCOMMIT AND CHAIN;", "line 3: this transaction block is never committed"),
    ("SELECT 0;\nBEGIN;\nCREATE INDEX CONCURRENTLY IF NOT EXISTS i ON t (a);\nCOMMIT;",
     "line 3: CREATE INDEX CONCURRENTLY cannot run inside the file's BEGIN block opened at line 2"),
])
def test_transaction_control_that_cannot_run_as_written_is_refused_with_its_line(
        sql: str, message: str) -> None:
    with pytest.raises(InvalidInput, match=rf"V1__x\.sql {re.escape(message)}"):
        analyze(script(sql))


def test_the_no_transaction_header_accepts_a_file_with_its_own_blocks() -> None:
    sql = ("-- db-migrate: no-transaction\nBEGIN;\nSELECT 1;\nCOMMIT;\n"
           "CREATE INDEX CONCURRENTLY IF NOT EXISTS i ON t (a);\nBEGIN;\nSELECT 2;\nCOMMIT;\n")
    analysis = analyze(script(sql))
    assert not analysis.transactional and analysis.reason == "header directive"
    # As written: with the header even a wrapper pair is the file's own transaction.
    assert len(analysis.statements or []) == 7 and not analysis.unwrapped


def test_header_directive_forces_no_transaction_and_statements_are_split_on_real_boundaries() -> None:
    text = ("-- db-migrate: no-transaction\n"
            "CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; SELECT 2; $$ LANGUAGE sql;\n"
            "SELECT ';';\n")
    analysis = analyze(script(text))
    assert not analysis.transactional and analysis.reason == "header directive"
    assert [s.line for s in analysis.statements or []] == [2, 3]
    assert (analysis.statements or [])[0].text.endswith("LANGUAGE sql")


def test_unparseable_file_is_left_to_the_server_unless_it_must_be_split() -> None:
    unparsed = analyze(script("SELECT 1;\n-- x;\nSELEC 2 ';';"))
    assert unparsed.parse_error == 'line 3: syntax error at or near "SELEC"'
    # The scanner still splits it (comments and strings respected) for messages.
    assert [(s.text, s.line) for s in unparsed.statements or []] == [
        ("SELECT 1", 1), ("SELEC 2 ';'", 3)]
    with pytest.raises(InvalidInput, match="cannot split a no-transaction file"):
        analyze(script("-- db-migrate: no-transaction\nSELEC 1;"))


# --- the split without pglast ----------------------------------------------------------------

_FRAGMENTS = ["SELECT 1", "INSERT INTO t VALUES (1, 'a')", ";", " ", "\n", "\r\n", "\t", "\f",
              "-- note ; 'x\n", "/* a ; /* nested ; */ ' */", "'x;y'", "''", "'it''s'", '"q;"',
              '"a""b"', "(", ")", "-", "/", "*", "caf\u00e9", "'caf\u00e9'", "-- \u00e9\u00a0\n",
              "\u00a0", "x", ",", "--", "/*", "\v", "1--2\n", "a/b", "'", '"']


_STATEMENTS = ["SELECT 1", "SELECT 'a;b'", 'SELECT "c;""d" FROM t',
               "INSERT INTO t VALUES (1, 'it''s') ON CONFLICT DO NOTHING",
               "CREATE TABLE IF NOT EXISTS t (a int /* ; */, b text DEFAULT 'x')",
               "SELECT 1--2\n", "SELECT 'caf\u00e9' -- \u00e9\u00a0\n", "SELECT a/b FROM t",
               "SELECT (1) -- tail", "UPDATE t SET a = 1 WHERE b = 'x' /* tail */",
               "SELECT 'a'\n'b'", "SELECT x.* FROM t x"]
_GAPS = ["", " ", "\n", "\r\n", "\t", "\f", "-- c ; 'x\n", "/* a ; /* n */ */", "\n\n  ", ";"]


def _pglast_slices(text: str) -> list[slice] | None:
    from pglast import parser

    try:
        return list(parser.split(text, with_parser=True, only_slices=True))
    except parser.ParseError:
        return None


def _corpus() -> list[str]:
    import random

    from tests.conftest import ROOT

    texts = [p.read_text() for top in ("migrations", "seeds") for p in (ROOT / top).rglob("*.sql")]
    rng = random.Random(11)
    texts += ["".join(rng.choice(_FRAGMENTS) for _ in range(rng.randint(1, 12))) for _ in range(4000)]
    for _ in range(2000):  # valid statements between random gaps: what migration files look like
        parts = []
        for _ in range(rng.randint(1, 5)):
            parts += [rng.choice(_GAPS), rng.choice(_STATEMENTS), rng.choice(_GAPS), ";"]
        texts.append("".join(parts[: -1 if rng.random() < 0.2 else None]) + rng.choice(_GAPS))
    return texts


def test_the_split_without_pglast_gives_exactly_pglasts_statements_or_defers_to_it() -> None:
    from db_migrate.engine.sqltext import _plain_split

    compared = 0
    for text in _corpus():
        ours = _plain_split(text)
        if ours is None:
            continue
        theirs = _pglast_slices(text)
        if theirs is None:
            continue  # not SQL pglast accepts: the server reports it (a dry run asks pglast)
        assert ours == theirs, repr(text)
        compared += 1
    assert compared > 500  # the corpus really exercises the plain path


@pytest.mark.parametrize("text", [
    "CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql;",
    "SELECT E'a\\';b';",
    "CREATE RULE r AS ON INSERT TO t DO ALSO (INSERT INTO u VALUES (1); INSERT INTO u VALUES (2));",
    "SELECT 'open;",
    "SELECT 1; /* open comment",
    "SELECT \u00e9;",
    "SELECT 1\v;",
])
def test_the_split_without_pglast_defers_whatever_it_cannot_lex_alone(text: str) -> None:
    from db_migrate.engine.sqltext import _plain_split

    assert _plain_split(text) is None


def test_a_plain_file_is_analyzed_without_pglast_and_a_dry_run_still_gets_its_syntax_error() -> None:
    good = analyze(script("CREATE TABLE IF NOT EXISTS t (id int);\nINSERT INTO t VALUES (1);\n"))
    assert good.unparsed and good.transactional
    assert [(s.line, s.text) for s in good.statements or []] == [
        (1, "CREATE TABLE IF NOT EXISTS t (id int)"), (2, "INSERT INTO t VALUES (1)")]
    assert good.parse_error is None
    bad = analyze(script("SELECT 1;\n\nCREATE TABLE (id int);\n"))
    assert bad.unparsed
    assert bad.parse_error is not None and bad.parse_error.startswith("line 3: syntax error")
