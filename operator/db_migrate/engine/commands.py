"""One function per command, as alembic's ``command.py`` has: each reads what it needs, in its
own order, from the loader, the pre-flight checks and the applier.

``status`` and ``dry_run`` are read-only and never take the lock; ``apply``, ``baseline`` and
``adopt_flyway`` run under it (engine/runner.py takes it).
"""

from __future__ import annotations

from db_migrate.engine import flyway, legacy, loader, preflight
from db_migrate.engine.applier import apply_all
from db_migrate.engine.errors import ChecksumDrift, InvalidInput
from db_migrate.engine.history import HistoryRow
from db_migrate.engine.loader import History, Planned, Table
from db_migrate.engine.options import ChecksumPolicy
from db_migrate.engine.planner import State
from db_migrate.engine.report import Outcome, Progress
from db_migrate.engine.scripts import Kind
from db_migrate.engine.session import Session
from db_migrate.engine.version import Version


def status(s: Session) -> None:
    planned = _look(s)
    gaps = planned.plan.gaps
    if gaps:
        s.report.gaps = list(gaps)
        s.note(f"no file has version {', '.join(f'V{v}' for v in gaps)}: a gap "
               "in the numbering; in a Flyway repository usually a Java or Kotlin "
               "migration, which db-migrate cannot run (README: Coming from Flyway)")


def dry_run(s: Session) -> None:
    planned = _look(s)
    preflight.analyze_pending(s, planned, strict=True)
    # Progress lines of what would happen, in run order.
    runnable = [i for i in planned.plan.items if i.state is not State.MISSING]
    for index, item in enumerate(runnable, 1):
        outcome = Outcome.WOULD_APPLY if item.runnable else Outcome.SKIPPED
        res = planned.result(item)
        res.outcome = outcome
        s.listener.progress(Progress(s.database, index, len(runnable), item, outcome,
                                     mode=res.mode))


def _look(s: Session) -> Planned:
    """What the next apply would find; a problem it would refuse is a warning here."""
    history = loader.read_history(s)
    found = loader.unimported_flyway(s, history)
    if found is not None:
        s.warn(str(flyway.refuse_unimported(s.database, *found)).split(": ", 1)[1])
    if history.legacy is not None:
        s.note(f"{s.history.qualified} was written by another tool; the next run "
               f"adopts it: {history.legacy.summary()}")
    return loader.read_plan(s, history)


def apply(s: Session) -> None:
    history = loader.read_history(s)
    found = loader.unimported_flyway(s, history)
    if found is not None:
        raise flyway.refuse_unimported(s.database, *found)
    planned = loader.read_plan(s, history)
    preflight.check_policies(s, planned)
    analyses = preflight.analyze_pending(s, planned)
    loader.prepare_table(s, history, planned.mset)
    if planned.baseline:
        s.conn.execute(s.history.baseline_sql(planned.baseline))
        s.report.baselined = len(planned.baseline)
    apply_all(s, planned, analyses)


def baseline(s: Session) -> None:
    """``db-migrate baseline --version N``: record V1..VN as applied without running them."""
    try:
        history = loader.read_history(s)
    except legacy.ForeignHistory:
        # A table it cannot adopt is moved aside (loader.prepare_table).
        history = History(Table.FOREIGN, {})
    found = loader.unimported_flyway(s, history)
    if found is not None:
        # The baseline records the versions itself: "running would apply every migration
        # again" would be untrue right after it did.
        table, count = found
        s.note(f"{table.qualified} lists {count} version(s) Flyway applied; the "
               "baseline records its own range instead (adopt --from flyway imports "
               "Flyway's list and checks its checksums)")
    scripts = loader.baseline_scripts(s.mset, history.rows, s.options.baseline_version)
    loader.prepare_table(s, history, s.mset)
    if scripts:
        s.conn.execute(s.history.baseline_sql(scripts))
        s.note(f"recorded {loader.span(scripts)} as applied (baseline) without running them")
    else:
        s.note(f"nothing to record: every migration up to V{s.options.baseline_version}"
               " is already applied")
    s.report.baselined = len(scripts)
    s.report.current_version = _highest(history.rows, *(x.version for x in scripts))


def adopt_flyway(s: Session) -> None:
    """``db-migrate adopt --from flyway``: import Flyway's applied versions, run nothing."""
    history = loader.read_history(s)
    rows = history.rows
    table = flyway.table_of(s.history.schema, s.options.flyway_table)
    if not table.exists(s.conn):
        raise InvalidInput(f"{s.database}: no Flyway history table {table.qualified}"
                           " (set another one with --flyway-table)")
    found = flyway.read(s.conn, table, s.mset)
    if found.changed and s.options.checksum_policy is ChecksumPolicy.FAIL:
        raise ChecksumDrift(
            f"{s.database}: files changed after Flyway applied them "
            f"({', '.join(origin for origin, _, _ in found.changed)}: their checksum "
            "differs from Flyway's) and the checksum policy is 'fail'; nothing was imported")
    found.rows = [r for r in found.rows
                  if not ((h := rows.get((Kind.MIGRATION, r.version.key))) and h.success)]
    loader.prepare_table(s, history, s.mset, dotted_rows=found.dotted)
    if found.rows:
        s.conn.execute(found.insert_sql(s.history))
    s.report.baselined = len(found.rows)
    span = f"V{found.rows[0].version}..V{found.rows[-1].version}" if found.rows else "none"
    s.note(f"imported {len(found.rows)} applied version(s) from {table.qualified} "
           f"({span}), Flyway's checksums checked against the files; Flyway's table is "
           "unchanged")
    for origin, recorded, now in found.changed:
        s.warn(f"{origin} was changed after Flyway applied it: Flyway recorded checksum "
               f"{recorded}, the file gives {now} (flyway validate reports it too); "
               "imported as applied, --status shows it modified")
    for label in found.failed:
        s.warn(f"{label} failed under Flyway; not imported, the next run applies it")
    for label in found.without_file:
        s.warn(f"{label} was applied by Flyway but no file has that version; recorded "
               "as applied (--status shows it missing)")
    if found.repeatable:
        s.note(f"{len(found.repeatable)} repeatable migration(s) not imported: "
               + ", ".join(found.repeatable[:5]))
    s.report.current_version = _highest(rows, *(r.version for r in found.rows))


def _highest(rows: dict[tuple[Kind, str], HistoryRow], *recorded: Version | None
             ) -> Version | None:
    """The current version once ``recorded`` is added to the applied migrations of ``rows``."""
    return max([*(r.version for r in rows.values() if r.success and r.version is not None
                  and r.kind is Kind.MIGRATION),
                *(v for v in recorded if v is not None)], default=None)
