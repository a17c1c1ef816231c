"""Every lint finding on the corpus is true: each file runs twice on a real server.

The files under ``lint_corpus/`` are shaped like real migrations and seeds (``seed_*.sql`` are
linted as seeds).  Comment headers set the scene and are invisible to lint:

- ``-- setup: SQL`` runs once before the first run (the state earlier migrations left);
- ``-- between: SQL`` runs between the two runs (rows the application wrote meanwhile);
- ``-- known-miss: why`` marks a file whose rerun is not clean although lint reports nothing
  (a documented limit; the test asserts that the gap is real).

Both runs go statement by statement, each statement in its own transaction, on a new session
(so temporary tables are gone, as on a real rerun).  The first run must succeed.  Then each
finding's claimed consequence must be what the second run does at that statement, and a file
without findings must rerun without an error and without changing row, constraint or index
counts.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
from pglast import parser
from psycopg import sql

from db_migrate.engine.errors import InvalidInput
from db_migrate.engine.lint import RULES, Finding, lint_text
from db_migrate.engine.scripts import Kind, Script
from db_migrate.engine.sqltext import analyze, line_of
from db_migrate.engine.version import Version
from tests.pgservers import PgServer

CORPUS = Path(__file__).parent / "lint_corpus"
FILES = sorted(CORPUS.glob("*.sql"))
_USER = ("n.nspname NOT IN ('pg_catalog', 'information_schema') "
         "AND n.nspname NOT LIKE 'pg_toast%' AND n.nspname NOT LIKE 'pg_temp%'")


@dataclass
class Outcome:
    """What one statement of the second run did."""

    error: str | None
    #: rows + constraints + indexes before and after (duplicates make it grow)
    things: tuple[int, int]
    #: non-null cells of all user tables before and after (lost data makes it shrink)
    cells: tuple[int, int]
    #: how many more things there are after this statement than after it in the first run,
    #: beyond what the application added between the runs
    extra: int


def _directives(text: str, name: str) -> list[str]:
    return [m.group(1) for m in re.finditer(rf"^-- {name}: (.*)$", text, re.MULTILINE)]


def _statements(text: str) -> list[tuple[int, str]]:
    slices = parser.split(text, with_parser=True, only_slices=True)
    return [(line_of(text, s.start), text[s]) for s in slices]


def _tables(conn: psycopg.Connection) -> list[str]:
    rows = conn.execute(
        "SELECT format('%I.%I', n.nspname, c.relname) FROM pg_class c "
        "JOIN pg_namespace n ON n.oid = c.relnamespace "
        f"WHERE c.relkind IN ('r', 'p') AND {_USER}").fetchall()
    return [str(r[0]) for r in rows]


def _measure(conn: psycopg.Connection) -> tuple[int, int, dict[str, object]]:
    counts: dict[str, object] = {}
    cells = 0
    things = 0
    for table in _tables(conn):
        ident = sql.SQL(table)  # already quoted by format('%I.%I')
        row = conn.execute(sql.SQL(
            "SELECT count(*), coalesce(sum((SELECT count(*) FROM jsonb_each(to_jsonb(x)) e "
            "WHERE e.value <> 'null'::jsonb)), 0) FROM {} x").format(ident)).fetchone()
        assert row is not None
        rows = int(row[0])
        things += rows
        cells += int(row[1])
        # Row count, column names and the rows themselves: a rerun must leave all three alone.
        digest = conn.execute(sql.SQL(
            "SELECT md5(coalesce(string_agg(x::text, ',' ORDER BY x::text), '')) FROM {} x"
        ).format(ident)).fetchone()
        columns = conn.execute(
            "SELECT array_agg(attname::text ORDER BY attnum) FROM pg_attribute "
            "WHERE attrelid = %s::regclass AND attnum > 0 AND NOT attisdropped", (table,)).fetchone()
        counts[table] = (rows, columns[0] if columns else None, digest[0] if digest else None)
    row = conn.execute(
        "SELECT (SELECT count(*) FROM pg_constraint c JOIN pg_namespace n "
        f"ON n.oid = c.connamespace WHERE {_USER}) + (SELECT count(*) FROM pg_index i "
        f"JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
        f"WHERE {_USER})").fetchone()
    assert row is not None
    return things + int(row[0]), cells, counts


def _run_twice(url: str, text: str) -> tuple[dict[int, Outcome], tuple[object, object], list[str]]:
    statements = _statements(text)
    with psycopg.connect(url, autocommit=True) as conn:
        for setup in _directives(text, "setup"):
            conn.execute(setup)
    first: dict[int, int] = {}
    with psycopg.connect(url, autocommit=True) as conn:
        conn.add_notice_handler(lambda _n: None)
        for line, stmt in statements:
            try:
                conn.execute(stmt)
            except psycopg.Error as exc:
                pytest.fail(f"first run failed at line {line}: {exc}")
            first[line] = _measure(conn)[0]
    with psycopg.connect(url, autocommit=True) as conn:
        for between in _directives(text, "between"):
            conn.execute(between)
        before = _measure(conn)
    offset = before[0] - first[statements[-1][0]]
    outcomes: dict[int, Outcome] = {}
    errors: list[str] = []
    with psycopg.connect(url, autocommit=True) as conn:
        conn.add_notice_handler(lambda _n: None)
        for line, stmt in statements:
            things0, cells0, _ = _measure(conn)
            error = None
            try:
                conn.execute(stmt)
            except psycopg.Error as exc:
                error = str(exc).splitlines()[0]
                errors.append(f"line {line}: {error}")
            things1, cells1, _ = _measure(conn)
            outcomes[line] = Outcome(error, (things0, things1), (cells0, cells1),
                                     things1 - first[line] - offset)
        after = _measure(conn)
    return outcomes, ((before[0], before[2]), (after[0], after[2])), errors


def _refused(text: str) -> bool:
    try:
        analyze(Script(kind=Kind.MIGRATION, name="V1__x.sql", origin="x", text=text,
                       checksum="", version=Version.of(1), description="x"))
    except InvalidInput:
        return True
    return False


def _is_true(finding: Finding, outcome: Outcome, text: str) -> bool:
    # A duplicate: the statement adds something, and there is more of it than after the same
    # statement of the first run (so an INSERT whose rows the file deletes again is no duplicate).
    grew = outcome.error is None and outcome.things[1] > outcome.things[0] and outcome.extra > 0
    if finding.consequence == "fails":
        return outcome.error is not None
    if finding.consequence == "duplicates":
        return grew
    if finding.consequence == "fails-or-duplicates":
        return outcome.error is not None or grew
    if finding.consequence == "destroys":
        return outcome.error is None and outcome.cells[1] < outcome.cells[0]
    if finding.consequence == "refused":
        return _refused(text)
    return False


def lint_corpus_file(path: Path, lint: Callable[..., list[Finding]] = lint_text) -> list[Finding]:
    """``seed_*.sql`` files are linted as seeds; ``lint`` may be another version of lint."""
    return lint(path.read_text(), path=path.name, seed=path.name.startswith("seed_"))


def test_the_corpus_has_fifty_files_and_covers_every_rerun_rule() -> None:
    assert len(FILES) >= 50
    found = {f.rule for path in FILES for f in lint_corpus_file(path)}
    meta = {"syntax-error", "empty-file", "unreadable-file", "unknown-lint-rule",
            "placeholder-without-value"}
    assert found == set(RULES) - meta


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_every_finding_is_what_a_second_run_really_does(pg: PgServer, path: Path) -> None:
    text = path.read_text()
    findings = lint_corpus_file(path)
    outcomes, (before, after), errors = _run_twice(pg.create_database("lintc"), text)
    false = [f.format() + f"  [{outcomes[f.line]}]" for f in findings
             if not _is_true(f, outcomes[f.line], text)]
    assert false == []
    if _directives(text, "known-miss"):
        # A documented gap (docs/lint.md, Limits): lint is silent, yet the rerun is not clean.
        assert findings == []
        assert errors or after != before
    elif not findings:
        assert errors == []
        assert after == before
