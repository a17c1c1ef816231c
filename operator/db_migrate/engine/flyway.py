"""Import Flyway's ``flyway_schema_history`` (``db-migrate adopt --from flyway``).

Flyway keeps one row per attempt: ``installed_rank, version, description, type, script,
checksum (CRC32), installed_by, installed_on, execution_time, success``.  The last row of each
version decides.  A successful versioned row becomes an applied row of ours, with the checksum
recomputed from our file (Flyway's CRC32 cannot be compared with SHA-256) and ``runner =
'db-migrate imported'``; a ``BASELINE`` row records the files up to its version the same way.
Failed rows are reported, not imported, so those files run again.  Repeatable (``R__``) rows
have no version and are listed in a note.  Flyway's table is only read, never changed.

A normal run on a database that has Flyway's table but none of ours stops with exit 2 and the
command to import it, instead of running every migration a second time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from psycopg import sql

from db_migrate.engine.connection import Conn
from db_migrate.engine.discovery import MigrationSet
from db_migrate.engine.errors import InvalidInput
from db_migrate.engine.history import IMPORTED_RUNNER, HistoryTable
from db_migrate.engine.scripts import Kind, Script

_INTEGER = re.compile(r"^\s*0*([0-9]+)\s*$")
_VERSIONED = ("SQL", "JDBC", "SPRING_JDBC", "SCRIPT", "CUSTOM", "BASELINE")


class FlywayHistoryFound(InvalidInput):
    reason = "FlywayHistoryFound"


@dataclass
class FlywayImport:
    #: (version, script name of ours or Flyway's, checksum) to record as applied.
    rows: list[tuple[int, str, str, str]] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    repeatable: list[str] = field(default_factory=list)
    without_file: list[str] = field(default_factory=list)

    def insert_sql(self, table: HistoryTable) -> sql.Composed:
        values = sql.SQL(", ").join(
            sql.SQL("({})").format(sql.SQL(", ").join([
                sql.Literal(Kind.MIGRATION.value), sql.Literal(str(version)),
                sql.Literal(version), sql.Literal(script), sql.Literal(description),
                sql.Literal(checksum), sql.Literal(True), sql.Literal(IMPORTED_RUNNER),
                sql.Literal(0)]))
            for version, script, description, checksum in self.rows)
        return sql.SQL(
            "INSERT INTO {t} (kind, script_key, version, script, description, checksum, success,"
            " runner, execution_ms) VALUES {v} ON CONFLICT (kind, script_key) DO UPDATE SET"
            " script = EXCLUDED.script, description = EXCLUDED.description,"
            " checksum = EXCLUDED.checksum, success = true, runner = EXCLUDED.runner,"
            " applied_at = now(), error = NULL WHERE NOT {t}.success"
        ).format(t=table.ident, v=values)


def table_of(schema: str, qualified: str) -> HistoryTable:
    own_schema, _, name = qualified.rpartition(".")
    return HistoryTable(own_schema or schema, name)


def applied_count(conn: Conn, table: HistoryTable) -> int | None:
    """Successful versioned rows in Flyway's table, ``None`` when there is no such table."""
    if not table.exists(conn):
        return None
    row = conn.execute(sql.SQL("SELECT count(*) FROM {} WHERE success AND version IS NOT NULL")
                       .format(table.ident)).fetchone()
    return int(row[0]) if row else 0


def refuse_unimported(database: str, table: HistoryTable, count: int) -> FlywayHistoryFound:
    return FlywayHistoryFound(
        f"{database}: this database was migrated by Flyway ({table.qualified} holds {count} "
        "applied version(s)) and db-migrate has no history here yet; running would apply every "
        f"migration again. Import Flyway's history first: db-migrate adopt --from flyway "
        f"--database {database}")


def read(conn: Conn, table: HistoryTable, mset: MigrationSet) -> FlywayImport:
    """The rows to import; raise :class:`InvalidInput` for versions we cannot represent."""
    query = sql.SQL(
        "SELECT version, description, type, script, success FROM {} ORDER BY installed_rank"
    ).format(table.ident)
    latest: dict[int, tuple[str, str, str, bool]] = {}
    problems: list[str] = []
    result = FlywayImport()
    for version, description, kind, script, success in conn.execute(query).fetchall():
        if version is None:
            if success and str(script) not in result.repeatable:
                result.repeatable.append(str(script))
            continue
        if str(kind) not in _VERSIONED:
            continue  # DELETE / UNDO markers and the like
        match = _INTEGER.match(str(version))
        if match is None:
            problems.append(f"version {version!r} ({script})")
            continue
        latest[int(match[1])] = (str(description), str(kind), str(script), bool(success))
    if problems:
        raise InvalidInput(
            f"{mset.database}: {table.qualified} has versions db-migrate cannot represent "
            f"(whole numbers only; files are V<digits>__*.sql): {', '.join(problems[:10])}")
    files: dict[int, Script] = {s.version: s for s in mset.migrations if s.version is not None}
    for version, (description, kind, script, success) in sorted(latest.items()):
        if not success:
            result.failed.append(f"V{version} ({script})")
            continue
        covered = [v for v in sorted(files) if v == version or (v < version and v not in latest)] \
            if kind == "BASELINE" else [version]
        for number in covered:
            file = files.get(number)
            if file is None:
                if kind != "BASELINE":
                    result.without_file.append(f"V{number} ({script})")
                    result.rows.append((number, script, description, ""))
                continue
            result.rows.append((number, file.name, file.description, file.checksum))
    result.rows.sort()
    return result
