"""Settings of one run, shared by the CLI and the operator."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from db_migrate.engine.errors import InvalidInput
from db_migrate.engine.seeds import DEFAULT_SEED_MODE, SeedMode
from db_migrate.engine.version import BadVersion, Version


class ChecksumPolicy(StrEnum):
    #: Warn about applied files that changed and carry on (the seed system's behaviour).
    WARN = "warn"
    #: Refuse to run the database (exit 2, Stalled/ChecksumDrift).
    FAIL = "fail"


class OutOfOrderPolicy(StrEnum):
    """A pending version lower than the highest applied one (a merged branch, a hotfix).
    Flyway refuses it unless ``outOfOrder=true``; we run it and say so by default, because
    refusing stops every later deploy until someone edits the resource."""

    #: Apply it, with a warning that names each file.
    WARN = "warn"
    #: Refuse to run the database (exit 2, Stalled/OutOfOrder).
    FAIL = "fail"


def parse_version(value: str | int, *, field: str) -> Version:
    """A version from a flag or a spec field (``5``, ``"1.2.3"``, ``"1_2"``), at least 1."""
    try:
        version = Version.parse(str(value)) if not isinstance(value, bool) else None
    except BadVersion:
        version = None
    if version is None or version <= Version.of(0):
        raise InvalidInput(f"invalid version {value!r} for {field}: expected a number >= 1 "
                           "or dotted numbers (5 for V5__x.sql or V005__x.sql, 1.2.3 for "
                           "V1.2.3__x.sql or V1_2_3__x.sql)")
    return version


_DURATION = re.compile(r"^\s*([0-9]+(?:\.[0-9]+)?)\s*(ms|s|min|h)?\s*$")
_UNIT_SECONDS = {"ms": 0.001, "s": 1.0, "min": 60.0, "h": 3600.0, None: 1.0}
#: PostgreSQL keeps lock_timeout and statement_timeout as an int of milliseconds: a longer value
#: is refused by the server at connect time, which would read as the database being down.
MAX_DURATION_MS = 2_147_483_647


def parse_duration(value: str | float | int, *, field: str) -> float:
    """Seconds from ``"500ms"``, ``"30s"``, ``"2min"``, ``"1h"`` or a bare number of seconds."""
    if isinstance(value, int | float):
        seconds = float(value)
    else:
        match = _DURATION.match(value)
        if match is None:
            raise InvalidInput(f"invalid duration {value!r} for {field}: use e.g. 500ms, 30s, 2min")
        seconds = float(match[1]) * _UNIT_SECONDS[match[2]]
    if seconds < 0:
        raise InvalidInput(f"invalid duration {value!r} for {field}: must not be negative")
    if seconds * 1000 > MAX_DURATION_MS:
        raise InvalidInput(f"invalid duration {value!r} for {field}: at most {MAX_DURATION_MS}ms "
                           "(about 24.8 days), PostgreSQL's limit for a timeout")
    return seconds


@dataclass(frozen=True)
class RunOptions:
    seed_mode: SeedMode = DEFAULT_SEED_MODE
    checksum_policy: ChecksumPolicy = ChecksumPolicy.WARN
    #: How long to poll for the migration (advisory) lock before giving up (exit 3).
    lock_wait_s: float = 60.0
    #: PostgreSQL ``lock_timeout``: a migration waiting on a busy table gives up instead of
    #: queueing every application query behind it.  0 disables.
    pg_lock_timeout_s: float = 30.0
    #: PostgreSQL ``statement_timeout``; 0 (default) means none, index builds can be long.
    statement_timeout_s: float = 0.0
    history_schema: str = "public"
    history_table: str = "_schema_migrations"
    application_name: str = "db-migrate"
    #: All pending transactional migrations in one transaction (Flyway's ``group``); split
    #: into consecutive transactions only where the server's lock table would overflow.
    group: bool = False
    #: Each file's COMMIT returns before its WAL flush; the run ends with one synchronous
    #: commit, so a successful run is as durable as one waiting at every file (docs/design.md).
    #: False makes every file wait for its own flush, as other tools do.
    async_commit: bool = True
    connect_timeout_s: float = 10.0
    #: How often the server checks that the runner is still connected, so a killed runner's
    #: statement is cancelled promptly (PostgreSQL >= 14).
    connection_check_interval_s: float = 1.0
    #: Apply migrations up to and including this version only (staged rollouts).
    target_version: Version | None = None
    #: On a database whose history has no applied migration yet (built by hand), record the
    #: files up to this version as applied without running them, then run the rest.  With
    #: ``Action.BASELINE`` it is recorded whatever the history holds.
    baseline_version: Version | None = None
    #: Flyway's history table (``[schema.]name``, schema defaults to ``history_schema``): read
    #: by ``db-migrate adopt --from flyway``, and checked on a first run so that a database
    #: Flyway migrated is not migrated again from V1.
    flyway_table: str = "flyway_schema_history"
    #: Pending versions below the highest applied one: warn and run them, or refuse.
    out_of_order: OutOfOrderPolicy = OutOfOrderPolicy.WARN
    #: Flyway's placeholders: ``${name}`` in a file is replaced by its value before the file is
    #: parsed (engine/placeholders.py); name/value pairs, names case-insensitive.
    placeholders: tuple[tuple[str, str], ...] = ()
    #: Flyway's ``placeholderReplacement``: False sends ``${...}`` to the server as written.
    placeholder_replacement: bool = True
