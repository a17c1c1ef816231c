"""Seed modes and which seed sets each one runs, in order."""

from __future__ import annotations

from enum import StrEnum

from db_migrate.engine.errors import InvalidInput


class SeedMode(StrEnum):
    NONE = "none"
    REFERENCE = "reference"
    SAMPLE = "sample"
    FULL = "full"

    @classmethod
    def parse(cls, value: str) -> SeedMode:
        try:
            return cls(value)
        except ValueError:
            allowed = "|".join(m.value for m in cls)
            raise InvalidInput(f"invalid seed mode {value!r}: expected one of {allowed}") from None


#: The production default: system reference data only.
DEFAULT_SEED_MODE = SeedMode.REFERENCE


def seed_sets_for(mode: SeedMode, available: list[str]) -> list[str]:
    """Ordered seed sets: reference; then sample; ``full`` adds every other set alphabetically.

    A set a mode names but the database lacks is simply absent (a database may have no sample
    data); it is not an error.
    """
    if mode is SeedMode.NONE:
        return []
    wanted = ["reference"]
    if mode in (SeedMode.SAMPLE, SeedMode.FULL):
        wanted.append("sample")
    if mode is SeedMode.FULL:
        wanted += sorted(s for s in available if s not in ("reference", "sample"))
    return [s for s in wanted if s in available]
