"""Import Flyway's ``flyway_schema_history`` (``db-migrate adopt --from flyway``).

Flyway keeps one row per attempt: ``installed_rank, version, description, type, script,
checksum (CRC32), installed_by, installed_on, execution_time, success``.  The last row of each
version decides.  Versions are Flyway's own (``1.46.12``) and match files by value (``1.0`` is
``1``).  A successful versioned row becomes an applied row of ours with ``runner = 'db-migrate
imported'``; a ``BASELINE`` row (``flyway baseline``), or a ``SQL_BASELINE`` row (a baseline
migration ``B<version>__x.sql`` Flyway started a new database from), records the files up to its
version the same way.  Failed rows
are reported, not imported, so those files run again.  Repeatable (``R__``) rows have no
version and are listed in a note.  Flyway's table is only read, never changed.

Before importing, each file's Flyway checksum (:func:`crc32`) is compared with the one Flyway
recorded, as ``flyway validate`` does: a file edited after Flyway applied it is named, and
``--checksum-policy`` decides (warn: imported as changed, so --status shows it modified; fail:
nothing is imported, exit 2).

A normal run on a database that has Flyway's table but none of ours stops with exit 2 and the
command to import it, instead of running every migration a second time.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from psycopg import sql

from db_migrate.engine.connection import Conn
from db_migrate.engine.discovery import MigrationSet
from db_migrate.engine.errors import InvalidInput
from db_migrate.engine.flyway_checksum import FLYWAY_CHECKSUM, crc32
from db_migrate.engine.history import (
    IMPORTED_RUNNER,
    HistoryTable,
    dotted,
    version_literals,
)
from db_migrate.engine.scripts import Kind, Script
from db_migrate.engine.version import BadVersion, Version

#: Rows that stand for every version up to theirs: ``flyway baseline``, and a baseline
#: migration (``B1_20_0__x.sql``) that Flyway ran on a new database instead of the V files.
_BASELINES = ("BASELINE", "SQL_BASELINE", "JDBC_BASELINE")
_VERSIONED = ("SQL", "JDBC", "SPRING_JDBC", "SCRIPT", "CUSTOM", *_BASELINES)
class FlywayHistoryFound(InvalidInput):
    reason = "FlywayHistoryFound"


@dataclass(frozen=True)
class ImportRow:
    version: Version
    #: Our file's name, or Flyway's script when no file has the version.
    script: str
    description: str
    checksum: str


@dataclass
class FlywayImport:
    rows: list[ImportRow] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    repeatable: list[str] = field(default_factory=list)
    without_file: list[str] = field(default_factory=list)
    #: Files whose Flyway checksum differs from the one Flyway recorded (edited since):
    #: (file, Flyway's checksum, the file's).
    changed: list[tuple[str, int, int]] = field(default_factory=list)

    def insert_sql(self, table: HistoryTable) -> sql.Composed:
        text = any(dotted(r.version) for r in self.rows)
        values = sql.SQL(", ").join(
            sql.SQL("({})").format(sql.SQL(", ").join([
                sql.Literal(Kind.MIGRATION.value), sql.Literal(r.version.key),
                *version_literals(r.version, with_text=text), sql.Literal(r.script),
                sql.Literal(r.description), sql.Literal(r.checksum), sql.Literal(True),
                sql.Literal(IMPORTED_RUNNER), sql.Literal(0)]))
            for r in self.rows)
        return sql.SQL(
            "INSERT INTO {t} (kind, script_key, {columns}, script, description, checksum,"
            " success, runner, execution_ms) VALUES {v} ON CONFLICT (kind, script_key) DO UPDATE"
            " SET script = EXCLUDED.script, description = EXCLUDED.description,"
            " checksum = EXCLUDED.checksum, success = true, runner = EXCLUDED.runner,"
            " applied_at = now(), error = NULL WHERE NOT {t}.success"
        ).format(t=table.ident, v=values, columns=sql.SQL(
            "version, version_text" if text else "version"))

    @property
    def dotted(self) -> bool:
        return any(dotted(r.version) for r in self.rows)


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
    """The rows to import; raise :class:`InvalidInput` for a version that is not one."""
    query = sql.SQL(
        "SELECT version, description, type, script, checksum, success FROM {}"
        " ORDER BY installed_rank").format(table.ident)
    latest: dict[Version, tuple[str, str, str, int | None, bool]] = {}
    problems: list[str] = []
    result = FlywayImport()
    for raw, description, kind, script, checksum, success in conn.execute(query).fetchall():
        if raw is None:
            if success and str(script) not in result.repeatable:
                result.repeatable.append(str(script))
            continue
        if str(kind) not in _VERSIONED:
            continue  # DELETE / UNDO markers and the like
        try:
            version = Version.parse(str(raw))
        except BadVersion:
            problems.append(f"version {raw!r} ({script})")
            continue
        latest[version] = (str(description), str(kind), str(script),
                           None if checksum is None else int(checksum), bool(success))
    if problems:
        raise InvalidInput(
            f"{mset.database}: {table.qualified} has versions that are not numbers separated "
            f"by dots: {', '.join(problems[:10])}")
    files: dict[Version, Script] = {s.version: s for s in mset.migrations if s.version is not None}
    for version, (description, kind, script, recorded, success) in sorted(latest.items()):
        if not success:
            result.failed.append(f"V{version} ({script})")
            continue
        covered = [v for v in sorted(files) if v == version or (v < version and v not in latest)] \
            if kind in _BASELINES else [version]
        if kind != "BASELINE" and kind in _BASELINES and version not in files:
            # The B file Flyway started the database from: recorded under its version, so
            # that the database is not taken for a new one (planner shows it applied).
            result.rows.append(ImportRow(version, script, description, ""))
        for number in covered:
            file = files.get(number)
            if file is None:
                if kind not in _BASELINES:
                    result.without_file.append(f"V{number} ({script})")
                    result.rows.append(ImportRow(number, script, description, ""))
                continue
            ours = file.checksum
            now = crc32(file.text)
            if kind not in _BASELINES and recorded is not None and now != recorded:
                result.changed.append((file.origin, recorded, now))
                ours = f"{FLYWAY_CHECKSUM}{recorded}"
            result.rows.append(ImportRow(number, file.name, file.description, ours))
    result.rows.sort(key=lambda r: r.version)
    return result
