"""The validated unit of work: one migration or seed file."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from db_migrate.engine.version import Version


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
    #: Version of a migration (``5``, ``1.2.3``); ``None`` for repeatables and seeds.
    version: Version | None
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
        """Identity in the history table: the version for migrations (``5``, ``1.2.3``: one
        key for every spelling of a version), the file name for repeatable ones (``R__...``,
        never a number), ``set/name`` for seeds."""
        if self.kind is Kind.MIGRATION:
            return self.name if self.version is None else self.version.key
        return f"{self.seed_set}/{self.name}"

    @property
    def label(self) -> str:
        return self.name if self.kind is Kind.MIGRATION else f"{self.seed_set}/{self.name}"
