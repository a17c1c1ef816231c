"""Compare files with history: a pure function, so every state is testable without a server."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from itertools import pairwise

from db_migrate.engine import flyway_checksum
from db_migrate.engine.discovery import FLYWAY_BASELINE_NAME, MigrationSet
from db_migrate.engine.history import HistoryRow
from db_migrate.engine.scripts import Kind, Script
from db_migrate.engine.seeds import SeedMode
from db_migrate.engine.version import Version


class State(StrEnum):
    APPLIED = "applied"
    PENDING = "pending"
    #: An applied migration whose file changed since (drift).
    MODIFIED = "modified"
    #: Recorded in history, file gone.
    MISSING = "missing"
    #: A non-transactional file that failed (or whose runner died) part-way; retried.
    FAILED = "failed"
    #: A seed whose file changed since it was applied; it is applied again.
    CHANGED = "changed"


RUNNABLE = (State.PENDING, State.FAILED, State.CHANGED)


@dataclass(frozen=True)
class PlanItem:
    kind: Kind
    key: str
    label: str
    version: Version | None
    description: str
    state: State
    checksum: str
    script: Script | None
    history: HistoryRow | None
    #: Would run, but the run's target version holds it back (seeds too, while any migration
    #: is).  Its state stays what it is (pending, failed...): the status contract is unchanged.
    held_back: bool = False

    @property
    def runnable(self) -> bool:
        return self.state in RUNNABLE and not self.held_back


@dataclass
class Plan:
    items: list[PlanItem]
    warnings: list[str] = field(default_factory=list)
    #: Pending versions lower than the highest applied one (Flyway's "out of order"); the
    #: run's ``OutOfOrderPolicy`` decides whether they run.
    out_of_order: list[PlanItem] = field(default_factory=list)
    #: The highest applied version, which they are older than.
    top: Version | None = None
    #: Versions missing between neighbours (``V4`` between ``V3`` and ``V5``), see gaps().
    gaps: list[Version] = field(default_factory=list)

    @property
    def to_run(self) -> list[PlanItem]:
        return [i for i in self.items if i.runnable]

    @property
    def up_to_date(self) -> list[PlanItem]:
        return [i for i in self.items if i.state in (State.APPLIED, State.MODIFIED)]

    @property
    def modified(self) -> list[PlanItem]:
        return [i for i in self.items if i.state is State.MODIFIED]

    def current_version(self) -> Version | None:
        versions = [
            i.version
            for i in self.items
            if i.kind is Kind.MIGRATION and i.version is not None
            and i.history is not None and i.history.success
        ]
        return max(versions, default=None)


#: The widest jump between neighbouring versions that reads as missing files; wider ones are a
#: numbering scheme (dates, a hundred per release), not a gap.
GAP_LIMIT = 10


def gaps(versions: list[Version]) -> list[Version]:
    """Versions missing between two neighbours that differ only in their last number, by at
    most GAP_LIMIT: ``V4`` between ``V3`` and ``V5``, ``1.2.3`` between ``1.2.2`` and
    ``1.2.4``.  In a Flyway repository such a gap is usually a Java or Kotlin migration, which
    db-migrate cannot run; --status shows it so that nobody has to guess."""
    missing: list[Version] = []
    ordered = sorted(set(versions), key=lambda v: v.parts)
    for low, high in pairwise(ordered):
        same_prefix = len(low.parts) == len(high.parts) and low.parts[:-1] == high.parts[:-1]
        if same_prefix and 1 < high.parts[-1] - low.parts[-1] <= GAP_LIMIT:
            prefix = ".".join(str(p) for p in low.parts[:-1])
            for number in range(low.parts[-1] + 1, high.parts[-1]):
                missing.append(Version.parse(f"{prefix}.{number}" if prefix else str(number)))
    return missing


def _item(script: Script, state: State, row: HistoryRow | None,
          held_back: bool = False) -> PlanItem:
    return PlanItem(script.kind, script.key, script.label, script.version, script.description,
                    state, script.checksum, script, row, held_back and state in RUNNABLE)


def _failed_warning(script: Script, row: HistoryRow) -> str:
    if row.transactional:
        # Nothing of a failed transactional file was kept; the row records the attempt.
        return (f"{script.name} failed at {row.applied_at:%Y-%m-%d %H:%M:%S %Z} ({row.error}); "
                "nothing of it was kept, running it again")
    done = f"{row.statements_applied or 0}/{row.statements_total or '?'}"
    return (f"{script.name} failed earlier after {done} statements ({row.error}); "
            "retrying it from the start")


def plan(
    migration_set: MigrationSet,
    history: dict[tuple[Kind, str], HistoryRow],
    seed_mode: SeedMode,
    target: Version | None = None,
) -> Plan:
    """``target``: apply migrations up to and including this version, hold back the rest."""
    items: list[PlanItem] = []
    warnings: list[str] = []
    out_of_order: list[PlanItem] = []
    applied_versions = [
        row.version for row in history.values()
        if row.kind is Kind.MIGRATION and row.success and row.version is not None
    ]
    top = max(applied_versions, default=None)

    for script in migration_set.migrations:
        row = history.get((Kind.MIGRATION, script.key))
        beyond = target is not None and script.version is not None and script.version > target
        if beyond and (row is None or not row.success):
            state = State.PENDING if row is None else State.FAILED
            items.append(_item(script, state, row, held_back=True))
        elif row is None:
            items.append(_item(script, State.PENDING, None))
            if top is not None and script.version is not None and script.version < top:
                out_of_order.append(items[-1])
                warnings.append(
                    f"{script.name} is older than the current version V{top}; "
                    "it will be applied out of order"
                )
        elif not row.success:
            items.append(_item(script, State.FAILED, row))
            warnings.append(_failed_warning(script, row))
        elif row.checksum != script.checksum and not flyway_checksum.matches(row.checksum,
                                                                           script.text):
            items.append(_item(script, State.MODIFIED, row))
            warnings.append(
                f"{script.origin} was changed after it was applied: checksum applied "
                f"{row.checksum}, file now {script.checksum}; create a new migration instead"
            )
        else:
            items.append(_item(script, State.APPLIED, row))

    known = {s.key for s in [*migration_set.migrations, *migration_set.repeatables]}
    for (kind, key), row in sorted(history.items(),
                                   key=lambda kv: kv[1].version.parts if kv[1].version else (0,)):
        if kind is Kind.MIGRATION and key not in known and row.success \
                and FLYWAY_BASELINE_NAME.match(row.script.rsplit("/", 1)[-1]):
            # The Flyway baseline migration this database was started from (adopted): applied.
            # Flyway's script is relative to its location, so it may hold folders.
            items.append(PlanItem(kind, key, row.script, row.version, row.description,
                                  State.APPLIED, row.checksum, None, row))
        elif kind is Kind.MIGRATION and key not in known and row.success:
            items.append(PlanItem(kind, key, row.script, row.version, row.description,
                                  State.MISSING, row.checksum, None, row))
            what = f"V{row.version} ({row.script})" if row.version is not None else row.script
            warnings.append(f"{what} is recorded as applied but its file is missing")

    held = [i.label for i in items if i.held_back]
    if target is not None and top is not None and top > target:
        warnings.append(f"the database is already at V{top}, beyond the target V{target}; "
                        "nothing is rolled back")
    seeds = migration_set.seeds_for(seed_mode)
    if held and seeds:
        warnings.append(f"seeds wait until every migration is applied (target V{target} holds "
                        f"back {held[0]}{' .. ' + held[-1] if len(held) > 1 else ''})")
    # Repeatables after every versioned migration, again whenever they change; like seeds
    # they are written for the newest schema, so a target holds them back too.
    for script in migration_set.repeatables:
        row = history.get((Kind.MIGRATION, script.key))
        items.append(_item(script, _rerun_state(script, row), row, held_back=bool(held)))
    for script in seeds:
        row = history.get((Kind.SEED, script.key))
        # Seeds are written for the newest schema; they run once it is all there.
        items.append(_item(script, _rerun_state(script, row), row, held_back=bool(held)))
    known_versions = [i.version for i in items
                      if i.kind is Kind.MIGRATION and i.version is not None]
    return Plan(items=items, warnings=warnings, out_of_order=out_of_order, top=top,
                gaps=gaps(known_versions))


def _rerun_state(script: Script, row: HistoryRow | None) -> State:
    """Seeds and repeatables run again whenever their file changes."""
    if row is None:
        return State.PENDING
    if not row.success:
        return State.FAILED
    if row.checksum != script.checksum or script.runs_always:
        return State.CHANGED
    return State.APPLIED
