"""Error types, each mapped to a documented exit code.

Exit codes (README "Exit codes"):
  0 success (warnings allowed), 1 a migration or seed failed, 2 invalid input,
  3 database unreachable or lock not obtained in time.
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_INVALID = 2
EXIT_UNAVAILABLE = 3


class DbMigrateError(Exception):
    """Base class: ``str(err)`` is one clear sentence fit for a user."""

    exit_code = EXIT_FAILED
    #: CamelCase reason used by the operator's status conditions.
    reason = "Failed"
    #: Transient errors heal by themselves (retry with backoff); permanent ones need a change.
    transient = False


class InvalidInput(DbMigrateError):
    """Bad names, duplicates, unknown database, bad flags: nothing was touched."""

    exit_code = EXIT_INVALID
    reason = "InvalidInput"


class InvalidMigrationSet(InvalidInput):
    """The files of one database cannot be run; every offending file is named."""

    reason = "InvalidMigrationSet"

    def __init__(self, database: str, problems: list[str]) -> None:
        self.database = database
        self.problems = problems
        listing = "; ".join(problems)
        super().__init__(f"{database}: invalid migration set, nothing was run: {listing}")


class ChecksumDrift(InvalidInput):
    """Applied files changed and the policy is ``fail``."""

    reason = "ChecksumDrift"


class OutOfOrder(InvalidInput):
    """Pending versions are older than the highest applied one and the policy is ``fail``."""

    reason = "OutOfOrder"


class MigrationFailed(DbMigrateError):
    """A migration or seed failed on the server; later versions were not attempted."""

    exit_code = EXIT_FAILED
    reason = "MigrationFailed"

    def __init__(self, message: str, *, script: str, statement_index: int | None = None,
                 statement: str | None = None, detail: str | None = None,
                 sqlstate: str | None = None) -> None:
        super().__init__(message)
        self.script = script
        #: PostgreSQL's SQLSTATE of the failure, when the server gave one.
        self.sqlstate = sqlstate
        self.statement_index = statement_index
        #: The failing statement on one line, trimmed (for messages and the history row).
        self.statement = statement
        #: The message without the file name: "line 3 (statement 3/3): ...; statement: ...".
        self.detail = detail or message


class Unavailable(DbMigrateError):
    """Transient: the database could not be reached or the lock was not obtained."""

    exit_code = EXIT_UNAVAILABLE
    reason = "DatabaseUnavailable"
    transient = True


class AuthenticationFailed(DbMigrateError):
    """The server refused our credentials, or asked for them in a way we refuse to answer
    (cleartext, MD5). Permanent: retrying would offer the credential again and again, to a
    server that may be collecting them; it needs a change of the Secret or the spec. Exit 3
    in the CLI, as for any failure to connect."""

    exit_code = EXIT_UNAVAILABLE
    reason = "AuthenticationFailed"


class LockTimeout(Unavailable):
    reason = "LockTimeout"
