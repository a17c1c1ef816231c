"""The validated unit of work: one migration or seed file."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Kind(StrEnum):
    MIGRATION = "migration"
    SEED = "seed"


@dataclass(frozen=True)
class Script:
    kind: Kind
    name: str
    origin: str
    text: str
    checksum: str
    #: Integer version of a migration; ``None`` for seeds.
    version: int | None
    description: str
    #: Seed set (``reference``, ``sample``, ...); ``None`` for migrations.
    seed_set: str | None = None
    #: A repeatable that uses ``${flyway:timestamp}``: applied again on every run, as in Flyway.
    runs_always: bool = False

    @property
    def repeatable(self) -> bool:
        """Flyway's ``R__name.sql``: no version, applied again whenever it changes."""
        return self.kind is Kind.MIGRATION and self.version is None

    @property
    def key(self) -> str:
        """Identity in the history table: the version for migrations, the file name for
        repeatable ones (``R__...``, never a number), ``set/name`` for seeds."""
        if self.kind is Kind.MIGRATION:
            return self.name if self.version is None else str(self.version)
        return f"{self.seed_set}/{self.name}"

    @property
    def label(self) -> str:
        return self.name if self.kind is Kind.MIGRATION else f"{self.seed_set}/{self.name}"
