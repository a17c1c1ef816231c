"""Adopt a history table another tool wrote: ES1's original ``migrate.py`` and look-alikes.

A database migrated by the seed runner already has a ``_schema_migrations`` such as
``(version varchar PRIMARY KEY, description text, checksum varchar(64), applied_at timestamptz,
execution_time_ms int)``.  Its rows are the versions already applied.  When the layout leaves no
doubt (a ``version`` column whose every value is a number, optionally zero-padded or with a
leading ``V``, each number once), the table is upgraded in place, in one transaction under the
migration lock: our columns are added and filled, its own columns and rows are kept.  A legacy
checksum is kept when it is a SHA-256 (the seed runner's, equal to ours for an unchanged file),
so a file edited since shows as drift.  Anything else is refused with a sentence that names the
columns found and the command that takes over instead (``db-migrate baseline``).

Status and dry runs never write: they plan from the same rows, converted in memory.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from psycopg import sql

from db_migrate.engine.connection import Conn
from db_migrate.engine.discovery import MigrationSet
from db_migrate.engine.errors import InvalidInput
from db_migrate.engine.history import ADOPTED_RUNNER, OUR_COLUMNS, HistoryRow, HistoryTable
from db_migrate.engine.scripts import Kind
from db_migrate.engine.version import Version

_VERSION_VALUE = re.compile(r"^\s*[Vv]?([0-9]+)\s*$")
_SHA256 = re.compile(r"^[0-9a-fA-F]{64}$")
_INTS = ("smallint", "integer", "bigint")
_TIMES = ("timestamp with time zone", "timestamp without time zone")

# The legacy columns each of our values is taken from, first match wins.
_APPLIED_AT = ("applied_at", "installed_on", "executed_at", "applied_on", "run_on", "created_at")
_EXECUTION = ("execution_ms", "execution_time_ms", "execution_time", "duration_ms")
_DESCRIPTION = ("description", "name")
_SCRIPT = ("script", "filename", "file_name", "file")
_APPLIED_BY = ("applied_by", "installed_by")
_CHECKSUM = ("checksum", "sha256", "hash")


def _is_text(kind: str) -> bool:
    return kind == "text" or kind.startswith("character")


#: Our columns a legacy table may already have with a usable type; any other type is renamed
#: away (``legacy_<name>``) rather than reinterpreted.
_USABLE: dict[str, Callable[[str], bool]] = {
    **{c: _is_text for c in ("kind", "script_key", "seed_set", "script", "description",
                             "checksum", "applied_by", "runner", "error")},
    **{c: (lambda k: k == "boolean") for c in ("success", "transactional")},
    "applied_at": lambda k: k in _TIMES,
    **{c: (lambda k: k in _INTS) for c in ("execution_ms", "statements_total",
                                           "statements_applied")},
}
_CANONICAL = {
    **dict.fromkeys(("kind", "script_key", "seed_set", "script", "description", "checksum",
                     "applied_by", "runner", "error"), "text"),
    "success": "boolean", "transactional": "boolean", "applied_at": "timestamp with time zone",
    **dict.fromkeys(("execution_ms", "statements_total", "statements_applied"), "integer"),
}
_ADD = {
    "kind": "text", "script_key": "text", "seed_set": "text", "script": "text",
    "description": "text", "checksum": "text", "success": "boolean", "applied_at": "timestamptz",
    "applied_by": "text", "runner": "text", "execution_ms": "integer", "transactional": "boolean",
    "statements_total": "integer", "statements_applied": "integer", "error": "text",
}
_DEFAULTS = {
    "applied_at": "now()", "applied_by": "current_user",
    "runner": "current_setting('application_name')", "execution_ms": "0", "transactional": "true",
}
_NOT_NULL = ("kind", "script_key", "script", "description", "checksum", "success", "applied_at",
             "applied_by", "runner", "execution_ms", "transactional")


class ForeignHistory(InvalidInput):
    """The history table was written by another tool and cannot be adopted safely."""

    reason = "ForeignHistoryTable"


def is_ours(columns: dict[str, str]) -> bool:
    return all(c in columns for c in OUR_COLUMNS)


@dataclass(frozen=True)
class LegacyRow:
    version: int
    raw: str
    description: str | None
    script: str | None
    checksum: str | None
    applied_at: datetime | None
    applied_by: str | None
    execution_ms: int | None
    success: bool


def _first(columns: dict[str, str], names: tuple[str, ...],
           accept: Callable[[str], bool]) -> str | None:
    return next((n for n in names if n in columns and accept(columns[n])), None)


@dataclass
class LegacyTable:
    table: HistoryTable
    columns: dict[str, str]
    rows: list[LegacyRow]

    def describe_columns(self) -> str:
        return ", ".join(f"{n} {t}" for n, t in self.columns.items())

    def history_rows(self, mset: MigrationSet) -> dict[tuple[Kind, str], HistoryRow]:
        """The legacy rows as ours: what a run plans with, and what the upgrade writes."""
        files = {s.version: s for s in mset.migrations}  # legacy versions are whole numbers
        now = datetime.now(UTC)
        rows: dict[tuple[Kind, str], HistoryRow] = {}
        for old in self.rows:
            file = files.get(Version.of(old.version))
            if old.checksum and _SHA256.match(old.checksum):
                checksum = old.checksum.lower()
            else:  # none, or another algorithm: trust the file as it is now
                checksum = file.checksum if file is not None else ""
            description = file.description if file is not None else (old.description or "")
            script = file.name if file is not None else (
                old.script or f"V{old.raw}__{(old.description or 'unknown').replace(' ', '_')}.sql")
            applied_at = old.applied_at or now
            if applied_at.tzinfo is None:
                applied_at = applied_at.replace(tzinfo=UTC)
            rows[(Kind.MIGRATION, str(old.version))] = HistoryRow(
                kind=Kind.MIGRATION, key=str(old.version), version=Version.of(old.version),
                seed_set=None,
                script=script, description=description, checksum=checksum,
                success=old.success, applied_at=applied_at, applied_by=old.applied_by or "unknown",
                runner=ADOPTED_RUNNER, execution_ms=old.execution_ms or 0, transactional=True,
                statements_total=None, statements_applied=None,
                error=None if old.success else "failed under the previous tool")
        return rows

    def checksums_kept(self) -> int:
        return sum(1 for r in self.rows if r.checksum and _SHA256.match(r.checksum))

    def summary(self) -> str:
        versions = sorted(r.version for r in self.rows if r.success)
        span = "none" if not versions else (
            f"V{versions[0]}" if len(versions) == 1 else f"V{versions[0]}..V{versions[-1]}")
        return (f"{len(versions)} applied version{'s' if len(versions) != 1 else ''} kept "
                f"({span}), {self.checksums_kept()} checksum{'s' if self.checksums_kept() != 1 else ''}"
                " kept")

    def upgrade(self, conn: Conn, mset: MigrationSet) -> None:
        """Add and fill our columns in place, in one transaction; the caller holds the lock."""
        t = self.table.ident
        cols = dict(self.columns)
        with conn.transaction():
            statements: list[sql.Composed] = []
            pk = conn.execute("SELECT conname FROM pg_constraint WHERE conrelid = to_regclass(%s)"
                              " AND contype = 'p'", [self.table._regclass()]).fetchone()
            if pk is not None:
                # Keyed by version it cannot hold seeds (no version); installed_rank replaces it.
                statements.append(sql.SQL("ALTER TABLE {} DROP CONSTRAINT {}").format(
                    t, sql.Identifier(str(pk[0]))))
            for name in [c for c in OUR_COLUMNS if c != "version" and c in cols]:
                if name == "installed_rank" or not _USABLE[name](cols[name]):
                    new = f"legacy_{name}"
                    while new in cols:
                        new = f"legacy_{new}"
                    statements.append(sql.SQL("ALTER TABLE {} RENAME COLUMN {} TO {}").format(
                        t, sql.Identifier(name), sql.Identifier(new)))
                    cols[new] = cols.pop(name)
                elif cols[name] != _CANONICAL[name]:
                    statements.append(sql.SQL("ALTER TABLE {} ALTER COLUMN {} TYPE {}").format(
                        t, sql.Identifier(name), sql.SQL(_CANONICAL[name])))
            statements.append(sql.SQL(
                "ALTER TABLE {} ALTER COLUMN version TYPE bigint"
                " USING (regexp_replace(btrim(version::text), '^[Vv]', ''))::bigint").format(t))
            for stmt in statements:
                conn.execute(stmt)
            # Columns of the old tool that we never fill must not reject our inserts.
            strict = conn.execute(
                "SELECT attname FROM pg_attribute WHERE attrelid = to_regclass(%s) AND attnum > 0"
                " AND NOT attisdropped AND attnotnull AND NOT atthasdef AND attidentity = ''"
                " AND attgenerated = ''", [self.table._regclass()]).fetchall()
            for (name,) in strict:
                if name not in _NOT_NULL:
                    conn.execute(sql.SQL("ALTER TABLE {} ALTER COLUMN {} DROP NOT NULL").format(
                        t, sql.Identifier(str(name))))
            for name, kind in _ADD.items():
                if name not in cols:
                    conn.execute(sql.SQL("ALTER TABLE {} ADD COLUMN {} {}").format(
                        t, sql.Identifier(name), sql.SQL(kind)))
            self._fill(conn, mset)
            conn.execute(sql.SQL(
                "ALTER TABLE {t} ADD COLUMN installed_rank bigint;"
                " UPDATE {t} AS h SET installed_rank = r.n FROM (SELECT version, row_number()"
                " OVER (ORDER BY applied_at, version) AS n FROM {t}) AS r WHERE h.version = r.version;"
                " ALTER TABLE {t} ALTER COLUMN installed_rank SET NOT NULL").format(t=t))
            conn.execute(sql.SQL(
                "ALTER TABLE {t} ALTER COLUMN installed_rank ADD GENERATED ALWAYS AS IDENTITY"
                " (START WITH {start}), ADD PRIMARY KEY (installed_rank),"
                " ADD UNIQUE (kind, script_key), ADD CHECK (kind IN ('migration', 'seed'))"
            ).format(t=t, start=sql.Literal(len(self.rows) + 1)))
            for name, default in _DEFAULTS.items():
                conn.execute(sql.SQL("ALTER TABLE {} ALTER COLUMN {} SET DEFAULT {}").format(
                    t, sql.Identifier(name), sql.SQL(default)))
            conn.execute(sql.SQL("ALTER TABLE {} {}").format(t, sql.SQL(", ").join(
                sql.SQL("ALTER COLUMN {} SET NOT NULL").format(sql.Identifier(n))
                for n in _NOT_NULL)))

    def _fill(self, conn: Conn, mset: MigrationSet) -> None:
        rows = self.history_rows(mset)
        if not rows:
            return
        values = sql.SQL(", ").join(
            sql.SQL("({})").format(sql.SQL(", ").join(sql.Literal(v) for v in (
                r.version.whole if r.version is not None else None, r.kind.value, r.key,
                r.script, r.description, r.checksum, r.success,
                r.applied_at, r.applied_by, r.runner, r.execution_ms, r.error)))
            for r in rows.values())
        conn.execute(sql.SQL(
            "UPDATE {t} AS h SET kind = v.kind, script_key = v.key, script = v.script,"
            " description = v.description, checksum = v.checksum, success = v.success,"
            " applied_at = v.applied_at, applied_by = v.applied_by, runner = v.runner,"
            " execution_ms = v.execution_ms, transactional = true, error = v.error"
            " FROM (VALUES {values}) AS v(version, kind, key, script, description, checksum,"
            " success, applied_at, applied_by, runner, execution_ms, error)"
            " WHERE h.version = v.version").format(t=self.table.ident, values=values))


def _refuse(database: str, table: HistoryTable, columns: dict[str, str], why: str) -> ForeignHistory:
    listing = ", ".join(f"{n} {t}" for n, t in columns.items())
    flag = "" if table.qualified == "public._schema_migrations" else \
        f" --history-table {table.qualified}"
    return ForeignHistory(
        f"{database}: {table.qualified} was not written by db-migrate (columns: {listing}) and "
        f"cannot be adopted automatically: {why}. To keep it as {table.qualified}_legacy and "
        f"record the versions up to N as applied, run: db-migrate baseline --database "
        f"{database}{flag} --version N")


def load(conn: Conn, table: HistoryTable, columns: dict[str, str], database: str) -> LegacyTable:
    """Read a foreign table's rows (one query); raise :class:`ForeignHistory` if in doubt."""
    ours = [c for c in ("kind", "script_key") if c in columns]
    if ours:
        missing = ", ".join(c for c in OUR_COLUMNS if c not in columns)
        raise _refuse(database, table, columns,
                      f"it has some of db-migrate's columns ({', '.join(ours)}) but not "
                      f"{missing}")
    if "version" not in columns:
        raise _refuse(database, table, columns, "it has no version column")
    if not (_is_text(columns["version"]) or columns["version"] in (*_INTS, "numeric")):
        raise _refuse(database, table, columns, f"its version column is {columns['version']}")

    def pick(names: tuple[str, ...], accept: Callable[[str], bool], cast: str) -> sql.Composable:
        found = _first(columns, names, accept)
        return sql.SQL("NULL::{}").format(sql.SQL(cast)) if found is None else \
            sql.SQL("{}::{}").format(sql.Identifier(found), sql.SQL(cast))

    any_text = _is_text
    query = sql.SQL("SELECT version::text, {}, {}, {}, {}, {}, {}, {} FROM {}").format(
        pick(_DESCRIPTION, any_text, "text"),
        pick(_SCRIPT, any_text, "text"),
        pick(_CHECKSUM, lambda k: True, "text"),
        pick(_APPLIED_AT, lambda k: k in _TIMES, "timestamptz"),
        pick(_APPLIED_BY, any_text, "text"),
        pick(_EXECUTION, lambda k: k in _INTS, "bigint"),
        pick(("success",), lambda k: k == "boolean", "boolean"),
        table.ident)
    rows: list[LegacyRow] = []
    bad: list[str] = []
    seen: dict[int, str] = {}
    for raw, description, script, checksum, applied_at, by, took, success in \
            conn.execute(query).fetchall():
        match = _VERSION_VALUE.match(raw) if raw is not None else None
        if match is None:
            bad.append(repr(raw) if raw is not None else "NULL")
            continue
        version = int(match[1])
        if version in seen:
            raise _refuse(database, table, columns,
                          f"versions {seen[version]!r} and {raw!r} are the same number")
        seen[version] = raw
        rows.append(LegacyRow(version, raw.strip(), description, script, checksum, applied_at,
                              by, took, success is not False))
    if bad:
        shown = ", ".join(bad[:5]) + (f" and {len(bad) - 5} more" if len(bad) > 5 else "")
        raise _refuse(database, table, columns, f"versions that are not whole numbers: {shown}")
    return LegacyTable(table, columns, rows)
