"""Migration versions as Flyway writes them: ``5``, ``1.2.3``, ``1_2_3``, ``2023.01.15.1``.

Flyway's rules (its ``MigrationVersion``), which we follow:

* an underscore between parts means a dot (``V1_2_3__x.sql`` is version ``1.2.3``);
* versions compare numerically, part by part (``1.2`` < ``1.2.1`` < ``1.10``);
* trailing zero parts are ignored (``1.0`` equals ``1``), so two such files collide.

Whole numbers keep the form db-migrate always showed: ``V005__x.sql`` is version ``5`` (Flyway
would show ``005``; the number is the same).  A dotted version shows as written, underscores
turned into dots, as Flyway shows it (``1.46.12``, ``2023.01.15.1``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

#: Digits, with single dots or underscores between groups (``1``, ``1.2.3``, ``1_2``).
_TEXT = re.compile(r"^[0-9]+(?:[._][0-9]+)*$")


_BIGINT_MAX = 2**63 - 1


class BadVersion(ValueError):
    """Not a version; the message says what one looks like."""


@dataclass(frozen=True, order=True, slots=True)
class Version:
    #: The numbers, trailing zero parts removed (at least one part): equality, hashing, order.
    parts: tuple[int, ...]
    #: How it is shown (``1.46.12``); not compared, so ``1.0`` and ``1`` are one version.
    text: str = field(compare=False)
    #: Identity in the history table (``script_key``): the same for every spelling of one
    #: version, and for whole numbers the key db-migrate always wrote (``"5"``).  Computed
    #: once: a run looks it up several times per file.
    key: str = field(compare=False)

    @classmethod
    def parse(cls, raw: str) -> Version:
        """``"1.2.3"``, ``"1_2_3"``, ``"007"``; raise :class:`BadVersion` otherwise."""
        value = raw.strip()
        if value.isdigit():
            return cls.of(int(value))  # the common case, without the regular expressions
        if not _TEXT.match(value):
            raise BadVersion(f"invalid version {raw!r}: expected numbers separated by dots, "
                             "such as 5, 1.2.3 or 2023.01.15.1")
        parts = tuple(int(p) for p in re.split(r"[._]", value))
        while len(parts) > 1 and parts[-1] == 0:
            parts = parts[:-1]
        return cls(parts, value.replace("_", "."), ".".join(str(p) for p in parts))

    @classmethod
    def of(cls, number: int) -> Version:
        """A whole number; it shows without padding, as db-migrate always showed it."""
        return cls((number,), str(number), str(number))

    @property
    def whole(self) -> int | None:
        """The number, for a version written as one (``5``, ``005``) that the history's
        bigint ``version`` column can hold.  ``1.0`` is not one (it keeps its text), nor is a
        number beyond bigint (Flyway's are unbounded), which is kept as text too."""
        if "." in self.text or self.parts[0] > _BIGINT_MAX:
            return None
        return self.parts[0]

    def json(self) -> int | str:
        """``--json`` and status: a number for whole numbers (as before), else the text."""
        whole = self.whole
        return whole if whole is not None else self.text

    def __str__(self) -> str:
        return self.text
