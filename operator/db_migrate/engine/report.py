"""What a run tells its adapter: progress events while it runs, a report when it ends."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Protocol

from db_migrate.engine.errors import EXIT_OK, DbMigrateError
from db_migrate.engine.planner import PlanItem
from db_migrate.engine.seeds import SeedMode
from db_migrate.engine.version import Version


class Action(StrEnum):
    APPLY = "apply"
    DRY_RUN = "dry-run"
    STATUS = "status"
    #: Record files up to ``RunOptions.baseline_version`` as applied without running them.
    BASELINE = "baseline"
    #: Import another tool's history (``db-migrate adopt --from flyway``).
    ADOPT = "adopt"


class Outcome(StrEnum):
    APPLIED = "applied"
    SKIPPED = "skipped"
    FAILED = "failed"
    #: Dry run: would be applied.
    WOULD_APPLY = "would apply"
    #: Not attempted because an earlier file failed.
    NOT_ATTEMPTED = "not attempted"


@dataclass(frozen=True)
class Progress:
    database: str
    #: 1-based position among the files of this run, and their number.
    index: int
    total: int
    item: PlanItem
    outcome: Outcome
    elapsed_ms: int | None = None
    #: "transaction" / "no-transaction" for files that were (or would be) run.
    mode: str | None = None
    #: The server's NOTICE/WARNING messages while this file ran ("NOTICE: ...").
    notices: tuple[str, ...] = ()


class Listener(Protocol):
    def progress(self, event: Progress) -> None: ...

    def warning(self, database: str, message: str) -> None: ...


def note(listener: Listener, database: str, message: str) -> None:
    """Informational one-liners (adoption, unwrapped BEGIN/COMMIT); optional for listeners."""
    method = getattr(listener, "note", None)
    if callable(method):
        method(database, message)


class SilentListener:
    def progress(self, event: Progress) -> None:
        pass

    def warning(self, database: str, message: str) -> None:
        pass


@dataclass
class ItemResult:
    item: PlanItem
    outcome: Outcome | None = None
    elapsed_ms: int | None = None
    mode: str | None = None
    error: str | None = None
    notices: list[str] = field(default_factory=list)


@dataclass
class DatabaseReport:
    database: str
    target: str
    action: Action
    seed_mode: SeedMode
    started_at: datetime
    finished_at: datetime | None = None
    items: list[ItemResult] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    #: One-line facts about the run that need no action (adopted table, unwrapped files).
    notes: list[str] = field(default_factory=list)
    applied: int = 0
    skipped: int = 0
    failed: int = 0
    pending: int = 0
    #: Files recorded as applied without running them (baseline, imported history).
    baselined: int = 0
    #: ``--group``: transactions the grouped files committed in (more than one only when the
    #: server's lock table could not hold every file's locks at once).
    group_transactions: int = 0
    current_version: Version | None = None
    #: --status: versions missing between neighbours (planner.gaps), shown in the table.
    gaps: list[Version] = field(default_factory=list)
    source_digest: str | None = None
    error: DbMigrateError | None = None

    @property
    def exit_code(self) -> int:
        return self.error.exit_code if self.error is not None else EXIT_OK

    @property
    def duration_s(self) -> float:
        end = self.finished_at or self.started_at
        return (end - self.started_at).total_seconds()

    @property
    def notice_count(self) -> int:
        return sum(len(res.notices) for res in self.items)

    def summary(self) -> str:
        return f"{self.applied} applied, {self.skipped} skipped, {self.failed} failed"
