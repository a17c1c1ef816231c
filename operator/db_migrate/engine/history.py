"""The ``_schema_migrations`` history table: DDL, one read, row SQL.

Identifiers are quoted with :mod:`psycopg.sql`; values of history rows are rendered as
literals so that a migration, its history row and the COMMIT can be sent as one string.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from psycopg import sql

from db_migrate.engine.connection import Conn
from db_migrate.engine.scripts import Kind, Script
from db_migrate.engine.version import Version

_COLUMNS = (
    "kind, script_key, version, seed_set, script, description, checksum, success, applied_at,"
    " applied_by, runner, execution_ms, transactional, statements_total, statements_applied, error"
)


#: ``runner`` of rows written without running the file: a baseline, or adopted from a table
#: another tool wrote (ES1's migrate.py, ...).  They show as such in --status and --json.
BASELINE_RUNNER = "db-migrate baseline"
ADOPTED_RUNNER = "db-migrate adopted"
IMPORTED_RUNNER = "db-migrate imported"

#: Column names of our layout; a table with all of them is ours (extra columns are kept).
OUR_COLUMNS = ("installed_rank", *(c.strip() for c in _COLUMNS.split(",")))

#: The version of a migration that is not a whole number, as Flyway shows it (``1.46.12``);
#: ``version`` (bigint) is NULL on those rows.  Whole numbers stay in ``version`` alone, so a
#: table written before dotted versions existed reads unchanged.  Tables created since have
#: the column; an older one gets it (``ADD COLUMN IF NOT EXISTS``, under the migration lock)
#: the first time a dotted version is about to be recorded, never otherwise.
VERSION_TEXT = "version_text"


@dataclass(frozen=True)
class HistoryRow:
    kind: Kind
    key: str
    version: Version | None
    seed_set: str | None
    script: str
    description: str
    checksum: str
    success: bool
    applied_at: datetime
    applied_by: str
    runner: str
    execution_ms: int
    transactional: bool
    statements_total: int | None
    statements_applied: int | None
    error: str | None

    @property
    def origin(self) -> str | None:
        """``baseline`` or ``adopted`` for rows recorded without running the file."""
        if self.runner == BASELINE_RUNNER:
            return "baseline"
        if self.runner == ADOPTED_RUNNER:
            return "adopted"
        if self.runner == IMPORTED_RUNNER:
            return "imported"
        return None


class HistoryTable:
    def __init__(self, schema: str, table: str) -> None:
        self.schema = schema
        self.table = table
        self.ident = sql.Identifier(schema, table)

    @property
    def qualified(self) -> str:
        return f"{self.schema}.{self.table}"

    def create_sql(self) -> sql.Composed:
        """Idempotent DDL; callers hold the migration lock, so concurrent creators are serialised."""
        return sql.SQL(
            """CREATE SCHEMA IF NOT EXISTS {schema};
CREATE TABLE IF NOT EXISTS {table} (
    installed_rank     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind               text        NOT NULL CHECK (kind IN ('migration', 'seed')),
    script_key         text        NOT NULL,
    version            bigint,
    version_text       text,
    seed_set           text,
    script             text        NOT NULL,
    description        text        NOT NULL,
    checksum           text        NOT NULL,
    success            boolean     NOT NULL,
    applied_at         timestamptz NOT NULL DEFAULT now(),
    applied_by         text        NOT NULL DEFAULT current_user,
    runner             text        NOT NULL DEFAULT current_setting('application_name'),
    execution_ms       integer     NOT NULL DEFAULT 0,
    transactional      boolean     NOT NULL DEFAULT true,
    statements_total   integer,
    statements_applied integer,
    error              text,
    UNIQUE (kind, script_key)
);"""
        ).format(schema=sql.Identifier(self.schema), table=self.ident)

    def add_version_text_sql(self) -> sql.Composed:
        """Idempotent; metadata only (a nullable column without default rewrites nothing)."""
        return sql.SQL("ALTER TABLE {} ADD COLUMN IF NOT EXISTS {} text").format(
            self.ident, sql.Identifier(VERSION_TEXT))

    def exists(self, conn: Conn) -> bool:
        row = conn.execute("SELECT to_regclass(%s) IS NOT NULL", [self._regclass()]).fetchone()
        return bool(row and row[0])

    def columns(self, conn: Conn) -> dict[str, str] | None:
        """``{column: type}`` of the table, ``None`` if it does not exist (one round trip)."""
        found = conn.execute(
            "SELECT a.attname, format_type(a.atttypid, a.atttypmod) FROM pg_attribute a"
            " WHERE a.attrelid = to_regclass(%s) AND a.attnum > 0 AND NOT a.attisdropped"
            " ORDER BY a.attnum", [self._regclass()]).fetchall()
        return {str(name): str(kind) for name, kind in found} or None

    def baseline_sql(self, scripts: list[Script]) -> sql.Composed:
        """Rows for files recorded as applied without running them (``db-migrate baseline``)."""
        text = any(dotted(s.version) for s in scripts)
        values = [
            sql.SQL("({})").format(sql.SQL(", ").join([
                sql.Literal(s.kind.value), sql.Literal(s.key),
                *version_literals(s.version, with_text=text),
                sql.Literal(s.name), sql.Literal(s.description), sql.Literal(s.checksum),
                sql.Literal(True), sql.Literal(BASELINE_RUNNER), sql.Literal(0)]))
            for s in scripts
        ]
        return sql.SQL(
            "INSERT INTO {table} (kind, script_key, {version_columns}, script, description,"
            " checksum, success, runner, execution_ms) VALUES {values}"
            # An applied row stays; a failed attempt of a baselined file becomes the baseline.
            " ON CONFLICT (kind, script_key) DO UPDATE SET script = EXCLUDED.script,"
            " description = EXCLUDED.description, checksum = EXCLUDED.checksum, success = true,"
            " applied_at = now(), applied_by = current_user, runner = EXCLUDED.runner,"
            " execution_ms = 0, statements_total = NULL, statements_applied = NULL, error = NULL"
            " WHERE NOT {table}.success"
        ).format(table=self.ident, values=sql.SQL(", ").join(values),
                 version_columns=version_columns(scripts))

    def _regclass(self) -> str:
        return sql.Identifier(self.schema, self.table).as_string(None)

    def read(self, conn: Conn, *, version_text: bool = True) -> dict[tuple[Kind, str], HistoryRow]:
        """The whole history in one query, keyed by (kind, key).  ``version_text``: whether
        the table has that column (a table from before dotted versions has not)."""
        text = sql.Identifier(VERSION_TEXT) if version_text else sql.SQL("NULL::text")
        query = sql.SQL("SELECT {cols}, {text} FROM {table} ORDER BY installed_rank").format(
            cols=sql.SQL(_COLUMNS), text=text, table=self.ident
        )
        rows: dict[tuple[Kind, str], HistoryRow] = {}
        for rec in conn.execute(query).fetchall():
            number, written = rec[2], rec[-1]
            version = Version.parse(written) if written is not None else \
                Version.of(number) if number is not None else None
            row = HistoryRow(Kind(rec[0]), rec[1], version, *rec[3:-1])
            rows[(row.kind, row.key)] = row
        return rows

    def upsert_sql(
        self,
        script: Script,
        *,
        success: bool,
        transactional: bool,
        execution_ms: sql.Composable,
        statements_total: int | None = None,
        statements_applied: int | None = None,
        error: str | None = None,
    ) -> sql.Composed:
        """One row per script; re-applied seeds and retried files overwrite their row."""
        values = [
            sql.Literal(script.kind.value),
            sql.Literal(script.key),
            *version_literals(script.version),
            sql.Literal(script.seed_set),
            sql.Literal(script.name),
            sql.Literal(script.description),
            sql.Literal(script.checksum),
            sql.Literal(success),
            execution_ms,
            sql.Literal(transactional),
            sql.Literal(statements_total),
            sql.Literal(statements_applied),
            sql.Literal(error),
        ]
        return sql.SQL(
            "INSERT INTO {table} (kind, script_key, {version_columns}, seed_set, script,"
            " description, checksum, success, execution_ms, transactional, statements_total,"
            " statements_applied, error) VALUES ({values})"
            " ON CONFLICT (kind, script_key) DO UPDATE SET"
            " {version_update}seed_set = EXCLUDED.seed_set, script = EXCLUDED.script,"
            " description = EXCLUDED.description, checksum = EXCLUDED.checksum,"
            " success = EXCLUDED.success, applied_at = now(), applied_by = current_user,"
            " runner = current_setting('application_name'), execution_ms = EXCLUDED.execution_ms,"
            " transactional = EXCLUDED.transactional,"
            " statements_total = EXCLUDED.statements_total,"
            " statements_applied = EXCLUDED.statements_applied, error = EXCLUDED.error"
        ).format(table=self.ident, values=sql.SQL(", ").join(values),
                 version_columns=version_columns([script]),
                 version_update=sql.SQL(
                     "version = EXCLUDED.version, version_text = EXCLUDED.version_text, "
                     if dotted(script.version) else "version = EXCLUDED.version, "))

    def progress_sql(self, script: Script, applied: int) -> sql.Composed:
        return sql.SQL(
            "UPDATE {table} SET statements_applied = {n} WHERE kind = {kind} AND script_key = {key}"
        ).format(
            table=self.ident,
            n=sql.Literal(applied),
            kind=sql.Literal(script.kind.value),
            key=sql.Literal(script.key),
        )


def dotted(version: Version | None) -> bool:
    """Whether the row needs ``version_text`` (the version is not a plain whole number)."""
    return version is not None and version.whole is None


def version_columns(scripts: list[Script]) -> sql.Composable:
    """``version`` alone while every version is a whole number, so that statements against a
    table from before dotted versions stay valid; ``version, version_text`` otherwise."""
    if any(dotted(s.version) for s in scripts):
        return sql.SQL("version, version_text")
    return sql.SQL("version")


def version_literals(version: Version | None, *, with_text: bool | None = None) -> list[sql.Literal]:
    """Values for :func:`version_columns`: the number, or NULL and the text."""
    number = sql.Literal(version.whole if version is not None else None)
    if not (dotted(version) if with_text is None else with_text):
        return [number]
    return [number, sql.Literal(str(version) if dotted(version) else None)]


#: Server-side execution time of everything sent so far in the current query string:
#: statement_timestamp() is when the string arrived, so this times the migration itself.
ELAPSED_MS_IN_STRING = sql.SQL(
    "(extract(epoch FROM clock_timestamp() - statement_timestamp()) * 1000)::integer"
)
