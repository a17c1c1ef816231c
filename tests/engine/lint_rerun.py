"""Measure lint on a real Flyway set: every file runs once, then at once a second time, and each
statement of the second run is compared with what lint says about it.

    .venv/bin/python -m tests.engine.lint_rerun DIR [NAME=VALUE]...

DIR is searched recursively for ``V<version>__*.sql`` (ordered by version, ``1_2`` = ``1.2``)
and ``R__*.sql`` (after them, by name); NAME=VALUE are Flyway placeholders.  A throwaway
PostgreSQL 18 is started for the run.  The second run of each file happens inside a transaction
that is rolled back (a savepoint per statement), so later files start from the first run's state.

A statement *fails on a second run* if it raises an error, or if it leaves more than the first
run did: an index or constraint name the first run did not leave, or more rows in a table.
Printed: every such statement without a finding (a miss), every finding on a statement whose
second run is clean (a false finding; ``destroys`` findings are not judged here), and the counts.
Statements with ``CONCURRENTLY`` cannot run in the transaction and are only counted.
"""

from __future__ import annotations

import re
import sys
import tempfile
from pathlib import Path

import psycopg
from pglast import parser
from psycopg import sql

from db_migrate.engine import placeholders
from db_migrate.engine.lint import Finding, lint_file
from db_migrate.engine.sqltext import line_of
from testkit import pgserver

_VERSION = re.compile(r"^V([0-9._]+)__")
#: The file's own transaction control: the first run is statement by statement in autocommit,
#: the second inside one rolled-back transaction.
_CONTROL = re.compile(r"(?is)^\s*(begin|commit|end|start\s+transaction|rollback)\b")
_CATALOG = """
SELECT 'constraint ' || c.conrelid::regclass || '.' || c.conname FROM pg_constraint c
JOIN pg_namespace n ON n.oid = c.connamespace WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
UNION ALL
SELECT 'index ' || n.nspname || '.' || c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'
"""

Snapshot = tuple[set[str], dict[str, int]]


def _version(path: Path) -> tuple[int, ...] | None:
    match = _VERSION.match(path.name)
    if match is None:
        return None
    return tuple(int(part) for part in re.split(r"[._]", match[1]) if part)


def ordered_files(root: Path) -> list[Path]:
    versioned = [(v, p) for p in root.rglob("*.sql") if (v := _version(p)) is not None]
    return [p for _, p in sorted(versioned)] + sorted(root.rglob("R__*.sql"), key=lambda p: p.name)


def _statements(text: str) -> list[tuple[int, str]]:
    return [(line_of(text, s.start), text[s])
            for s in parser.split(text, with_parser=True, only_slices=True)
            if not _CONTROL.match(text[s])]


def _snapshot(conn: psycopg.Connection[tuple[object, ...]]) -> Snapshot:
    names = {str(row[0]) for row in conn.execute(_CATALOG).fetchall()}
    rows: dict[str, int] = {}
    tables = conn.execute("SELECT format('%I.%I', schemaname, relname) FROM pg_stat_user_tables")
    for (table,) in tables.fetchall():
        count = conn.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.SQL(str(table))))
        rows[str(table)] = int((count.fetchone() or (0,))[0])  # type: ignore[call-overload]
    return names, rows


def _surplus(now: Snapshot, first: Snapshot) -> int:
    names, rows = now
    return len(names - first[0]) + sum(max(0, n - first[1].get(t, n)) for t, n in rows.items())


def measure(root: Path, url: str, values: dict[str, str]) -> tuple[int, int, int, int, int]:
    """(statements, failing on a second run, missed, false findings, not rerun); prints each
    miss and false finding."""
    expander = placeholders.Expander(tuple(values.items()), placeholders.Builtins(
        user="postgres", database="lint_rerun", default_schema="public", table="flyway_schema_history"))
    total = failing = missed = false = skipped = 0
    with psycopg.connect(url, autocommit=True) as conn:
        conn.add_notice_handler(lambda _notice: None)
        for path in ordered_files(root):
            text, problems = placeholders.replace(path.read_text(), expander.values(path.name),
                                                  str(path))
            if problems:
                raise SystemExit("; ".join(map(str, problems)))
            statements = _statements(text)
            for _, statement in statements:
                conn.execute(statement.encode())
            first = _snapshot(conn)
            findings: dict[int, Finding] = {f.line: f for f in lint_file(path, seed=False,
                                                                        values=expander)
                                            if f.consequence}
            surplus = 0
            conn.execute("BEGIN")
            for line, statement in statements:
                if re.search(r"(?i)\bconcurrently\b", statement):
                    skipped += 1
                    continue
                total += 1
                conn.execute("SAVEPOINT rerun")
                error = None
                try:
                    conn.execute(statement.encode())
                except psycopg.Error as exc:
                    error = str(exc).splitlines()[0]
                    conn.execute("ROLLBACK TO SAVEPOINT rerun")
                now = surplus if error else _surplus(_snapshot(conn), first)
                bad, surplus = error is not None or now > surplus, now
                finding = findings.get(line)
                where = f"{path.relative_to(root)}:{line}"
                quoted = " ".join(statement.split())[:100]
                if bad:
                    failing += 1
                    if finding is None:
                        missed += 1
                        print(f"miss  {where} {error or 'leaves more than the first run'} :: {quoted}")
                elif finding is not None and finding.consequence != "destroys":
                    false += 1
                    print(f"false {where} {finding.rule} :: {quoted}")
            conn.execute("ROLLBACK")
    return total, failing, missed, false, skipped


def main(argv: list[str]) -> int:
    root = Path(argv[0])
    values = dict(item.split("=", 1) for item in argv[1:])
    with tempfile.TemporaryDirectory(prefix="lint-rerun-", dir="/tmp") as tmp, \
            pgserver.PgServer(Path(tmp) / "pg") as server:
        with server.connect() as conn:
            conn.autocommit = True
            conn.execute("CREATE DATABASE lint_rerun")
        total, failing, missed, false, skipped = measure(root, server.url("lint_rerun"), values)
    print(f"{total} statements rerun ({skipped} CONCURRENTLY not rerun): {failing} fail on a "
          f"second run, {missed} of them without a finding; {false} false findings")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
