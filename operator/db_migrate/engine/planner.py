"""Compare files with history: a pure function, so every state is testable without a server."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from db_migrate.engine.discovery import MigrationSet
from db_migrate.engine.history import HistoryRow
from db_migrate.engine.scripts import Kind, Script
from db_migrate.engine.seeds import SeedMode


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
    version: int | None
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

    @property
    def to_run(self) -> list[PlanItem]:
        return [i for i in self.items if i.runnable]

    @property
    def up_to_date(self) -> list[PlanItem]:
        return [i for i in self.items if i.state in (State.APPLIED, State.MODIFIED)]

    @property
    def modified(self) -> list[PlanItem]:
        return [i for i in self.items if i.state is State.MODIFIED]

    def current_version(self) -> int | None:
        versions = [
            i.version
            for i in self.items
            if i.kind is Kind.MIGRATION and i.version is not None
            and i.history is not None and i.history.success
        ]
        return max(versions, default=None)


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
    target: int | None = None,
) -> Plan:
    """``target``: apply migrations up to and including this version, hold back the rest."""
    items: list[PlanItem] = []
    warnings: list[str] = []
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
                warnings.append(
                    f"{script.name} is older than the current version V{top}; "
                    "it will be applied out of order"
                )
        elif not row.success:
            items.append(_item(script, State.FAILED, row))
            warnings.append(_failed_warning(script, row))
        elif row.checksum != script.checksum:
            items.append(_item(script, State.MODIFIED, row))
            warnings.append(
                f"{script.origin} was changed after it was applied: checksum applied "
                f"{row.checksum}, file now {script.checksum}; create a new migration instead"
            )
        else:
            items.append(_item(script, State.APPLIED, row))

    known = {s.key for s in [*migration_set.migrations, *migration_set.repeatables]}
    for (kind, key), row in sorted(history.items(), key=lambda kv: kv[1].version or 0):
        if kind is Kind.MIGRATION and key not in known and row.success:
            items.append(PlanItem(kind, key, row.script, row.version, row.description,
                                  State.MISSING, row.checksum, None, row))
            what = f"V{key} ({row.script})" if row.version is not None else row.script
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
    return Plan(items=items, warnings=warnings)


def _rerun_state(script: Script, row: HistoryRow | None) -> State:
    """Seeds and repeatables run again whenever their file changes."""
    if row is None:
        return State.PENDING
    if not row.success:
        return State.FAILED
    if row.checksum != script.checksum or script.runs_always:
        return State.CHANGED
    return State.APPLIED
