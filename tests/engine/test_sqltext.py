"""pglast-based analysis: which files must run outside a transaction, and what is refused."""

from __future__ import annotations

import pytest

from db_migrate.engine.errors import InvalidInput
from db_migrate.engine.scripts import Kind, Script
from db_migrate.engine.sqltext import analyze


def script(text: str) -> Script:
    return Script(Kind.MIGRATION, "V1__x.sql", "migrations/db/V1__x.sql", text, "0" * 64, 1, "x")


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


@pytest.mark.parametrize(("sql", "word"), [
    ("BEGIN;\nSELECT 1;\nCOMMIT;\nSELECT 2;", "BEGIN"),
    ("SELECT 1;\nBEGIN;\nSELECT 2;\nCOMMIT;", "BEGIN"),
    ("START TRANSACTION;", "START TRANSACTION"),
    ("SELECT 1;\nCOMMIT;", "COMMIT"),
    ("SELECT 1;\nEND;", "COMMIT"),
    ("ABORT;", "ROLLBACK"),
    ("PREPARE TRANSACTION 'x';", "PREPARE TRANSACTION"),
])
def test_transaction_control_in_a_file_is_refused_with_its_line(sql: str, word: str) -> None:
    with pytest.raises(InvalidInput, match=rf"V1__x\.sql line \d+: {word} is not allowed"):
        analyze(script(sql))


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
