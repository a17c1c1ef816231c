"""Reading the history once, and what a run concludes from it before anything is written.

:func:`read_history` is one catalog query and one read; a foreign table is read, never written,
here.  :func:`read_plan` turns what was read into the plan of status, dry-run and apply.
:func:`prepare_table` is the one writer of the table's shape: it runs under the lock, after the
files were validated, so a refused set leaves the database untouched.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

from psycopg import sql

from db_migrate.engine import flyway, legacy, placeholders
from db_migrate.engine.discovery import MigrationSet
from db_migrate.engine.errors import InvalidInput, InvalidMigrationSet
from db_migrate.engine.history import BASELINE_RUNNER, VERSION_TEXT, HistoryRow, HistoryTable, dotted
from db_migrate.engine.legacy import LegacyTable
from db_migrate.engine.planner import Plan, PlanItem, plan
from db_migrate.engine.report import Action, ItemResult
from db_migrate.engine.scripts import Kind, Script
from db_migrate.engine.session import Session
from db_migrate.engine.version import Version

Rows = dict[tuple[Kind, str], HistoryRow]


class Table(StrEnum):
    """What stands where the history table should be."""

    MISSING = "missing"
    OURS = "ours"
    #: Another tool's table that can be adopted in place (engine/legacy.py).
    LEGACY = "legacy"
    #: Another tool's table that cannot: only ``baseline`` goes on, by moving it aside.
    FOREIGN = "foreign"


@dataclass(frozen=True)
class History:
    """The history as read once at the start of a run."""

    table: Table
    rows: Rows
    #: The table has ``version_text`` (tables from before dotted versions do not).
    version_text: bool = False
    legacy: LegacyTable | None = None


def read_history(s: Session) -> History:
    """Raises :class:`legacy.ForeignHistory` for a table that can be neither read nor adopted."""
    columns = s.history.columns(s.conn)
    if columns is None:
        return History(Table.MISSING, {})
    version_text = VERSION_TEXT in columns
    if legacy.is_ours(columns):
        return History(Table.OURS, s.history.read(s.conn, version_text=version_text),
                       version_text)
    found = legacy.load(s.conn, s.history, columns, s.database)
    return History(Table.LEGACY, found.history_rows(s.mset), version_text, found)


def unimported_flyway(s: Session, history: History) -> tuple[HistoryTable, int] | None:
    """Flyway's table and the versions it lists as applied, on a first run over a database
    Flyway migrated: such a run must never apply everything again from V1."""
    if history.table is not Table.MISSING:
        return None
    table = flyway.table_of(s.history.schema, s.options.flyway_table)
    count = flyway.applied_count(s.conn, table)
    return (table, count) if count else None


def warn_ignored(s: Session) -> None:
    """Other .sql files under the database's folder: named once per run, never run."""
    ignored = s.mset.ignored
    if ignored:
        shown = ", ".join(ignored[:10]) + (f" and {len(ignored) - 10} more"
                                           if len(ignored) > 10 else "")
        s.warn(f"{len(ignored)} .sql file(s) ignored, their names are not migrations "
               f"(V<version>__<description>.sql or R__<description>.sql): {shown}")
    if s.mset.flyway_baselines:
        names = ", ".join(origin for origin, _ in s.mset.flyway_baselines)
        s.warn(f"Flyway baseline migration(s) not run: {names}; db-migrate applies the "
               "V files instead, so a new database needs every V file from the first one (a "
               "database Flyway started from the baseline is imported with adopt --from "
               "flyway)")


@dataclass(frozen=True)
class Planned:
    """The plan of a run, with what it was made from."""

    history: History
    #: The set with placeholders replaced: the text the files run with.
    mset: MigrationSet
    plan: Plan
    #: ``RunOptions.baseline_version`` on a history without applied migrations: recorded as
    #: applied, without running, just before the first file runs.
    baseline: list[Script]
    #: Placeholders without a value, per file; they count only for files that run.
    placeholder_problems: dict[tuple[Kind, str], list[placeholders.Problem]]
    #: By identity: a dict lookup per file keeps a run linear (a scan per file is O(n^2)).
    results: dict[int, ItemResult]

    def result(self, item: PlanItem) -> ItemResult:
        return self.results[id(item)]


def read_plan(s: Session, history: History) -> Planned:
    """The plan of status, dry-run and apply; also fills the report's items and counts."""
    mset, problems = _expand_placeholders(s)
    rows = history.rows
    baseline = [] if any(r.success for (kind, _), r in rows.items() if kind is Kind.MIGRATION) \
        else baseline_scripts(mset, rows, s.options.baseline_version)
    if baseline:
        rows = {**rows, **_baseline_rows(baseline)}
        verb = "records" if s.report.action is Action.APPLY else "would record"
        s.note(f"no migration is recorded yet: the baseline {verb} "
               f"{span(baseline)} as applied without running them")
    result = plan(mset, rows, s.options.seed_mode, s.options.target_version)
    s.report.items = [ItemResult(item) for item in result.items]
    s.report.skipped = len(result.up_to_date)
    s.report.pending = len(result.to_run)
    s.report.current_version = result.current_version()
    for message in result.warnings:
        s.warn(message)
    return Planned(history, mset, result, baseline, problems,
                   {id(r.item): r for r in s.report.items})


def _expand_placeholders(s: Session) -> tuple[MigrationSet, dict[tuple[Kind, str],
                                                                  list[placeholders.Problem]]]:
    """Replace ``${...}`` before planning: a repeatable's checksum is that of its replaced
    text (Flyway's rule), so a repeatable without a value is refused at once."""
    if not s.options.placeholder_replacement:
        return s.mset, {}
    builtins = placeholders.Builtins(
        user=s.conn.info.user, database=s.conn.info.dbname,
        default_schema=s.history.schema, table=s.history.table)
    mset, found = placeholders.expand_set(
        s.mset, placeholders.Expander(s.options.placeholders, builtins))
    repeatable = [str(p) for r in mset.repeatables for p in found.get((r.kind, r.key), [])]
    if repeatable:
        raise InvalidMigrationSet(mset.database, repeatable)
    return mset, found


def baseline_scripts(mset: MigrationSet, rows: Rows, version: Version | None) -> list[Script]:
    """Files a baseline records: up to its version, not yet applied."""
    if version is None:
        return []
    return [s for s in mset.migrations
            if s.version is not None and s.version <= version
            and not ((r := rows.get((Kind.MIGRATION, s.key))) and r.success)]


def _baseline_rows(scripts: list[Script]) -> Rows:
    """The rows a baseline writes, for planning before (or instead of) writing them."""
    now = datetime.now(UTC)
    return {(s.kind, s.key): HistoryRow(
        kind=s.kind, key=s.key, version=s.version, seed_set=None, script=s.name,
        description=s.description, checksum=s.checksum, success=True, applied_at=now,
        applied_by="", runner=BASELINE_RUNNER, execution_ms=0, transactional=True,
        statements_total=None, statements_applied=None, error=None) for s in scripts}


def span(scripts: list[Script]) -> str:
    if len(scripts) == 1:
        return scripts[0].name
    return f"{len(scripts)} files ({scripts[0].name} .. {scripts[-1].name})"


def prepare_table(s: Session, history: History, mset: MigrationSet, *,
                  dotted_rows: bool = False) -> None:
    """Create, adopt or move aside the history table, as :func:`read_history` found it.  A
    table from before dotted versions gets ``version_text`` only when one is about to be
    recorded (``dotted_rows``, or a dotted file in the set)."""
    version_text = _create_or_adopt_table(s, history, mset)
    needed = dotted_rows or any(dotted(script.version) for script in mset.migrations)
    if needed and not version_text:
        s.conn.execute(s.history.add_version_text_sql())


def _create_or_adopt_table(s: Session, history: History, mset: MigrationSet) -> bool:
    """Whether the table has ``version_text`` afterwards."""
    if history.legacy is not None:
        history.legacy.upgrade(s.conn, mset)
        s.note(f"adopted {s.history.qualified} written by another tool: "
               f"{history.legacy.summary()}; added db-migrate's columns in place")
        return history.version_text
    if history.table is Table.FOREIGN:
        _move_aside(s)
        return True
    if history.table is Table.MISSING:
        s.conn.execute(s.history.create_sql())
        return True
    return history.version_text


def _move_aside(s: Session) -> None:
    """``baseline`` over a table that cannot be adopted: rename it to ``<table>_legacy``."""
    legacy_name = f"{s.history.table}_legacy"
    if HistoryTable(s.history.schema, legacy_name).exists(s.conn):
        raise InvalidInput(
            f"{s.database}: cannot move {s.history.qualified} aside: "
            f"{s.history.schema}.{legacy_name} already exists")
    with s.conn.transaction():
        s.conn.execute(sql.SQL("ALTER TABLE {} RENAME TO {}").format(
            s.history.ident, sql.Identifier(legacy_name)))
        s.conn.execute(s.history.create_sql())
    s.note(f"moved {s.history.qualified} (written by another tool) aside to "
           f"{s.history.schema}.{legacy_name}")
