"""Which databases to run and where each one lives.

Connection per database, first match wins: ``--url`` (single database only), then
``DB_MIGRATE_URL_<NAME>``, then the embedded default server.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from db_migrate.engine import conninfo
from db_migrate.engine.errors import InvalidInput

#: Containers and Jobs set this so a forgotten URL variable fails instead of silently
#: migrating a throwaway embedded database inside the container.
NO_EMBEDDED_ENV = "DB_MIGRATE_NO_EMBEDDED"


def url_variable(database: str) -> str:
    """``aiml-postgres`` -> ``DB_MIGRATE_URL_AIML_POSTGRES``."""
    return "DB_MIGRATE_URL_" + re.sub(r"[^A-Za-z0-9]", "_", database).upper()


@dataclass(frozen=True)
class Target:
    database: str
    #: ``None``: use the embedded server.
    url: str | None
    #: Where the URL came from, for output: "--url", the variable name, or "embedded".
    origin: str


def choose_databases(requested: list[str], all_databases: bool, available: list[str]) -> list[str]:
    if all_databases and requested:
        raise InvalidInput("use either --database or --all-databases, not both")
    if all_databases:
        if not available:
            raise InvalidInput("--all-databases found no database folders")
        return available
    if not requested:
        raise InvalidInput("name a database with --database NAME, or use --all-databases")
    unknown = [d for d in requested if d not in available]
    if unknown:
        raise InvalidInput(
            f"unknown database {', '.join(unknown)}: known are {', '.join(available) or 'none'}"
        )
    return list(dict.fromkeys(requested))


def resolve(databases: list[str], url: str | None, env: Mapping[str, str]) -> list[Target]:
    if url is not None and len(databases) != 1:
        raise InvalidInput("--url is allowed only with a single database; "
                           "use DB_MIGRATE_URL_<NAME> variables for several")
    targets = []
    for database in databases:
        # Checked by our own parser before anything else sees it: its errors name the flag or
        # variable and never echo the value (libpq's would print the password).
        if url is not None:
            conninfo.parse(url, "--url")
            targets.append(Target(database, url, "--url"))
        elif env.get(url_variable(database)):
            conninfo.parse(env[url_variable(database)], url_variable(database))
            targets.append(Target(database, env[url_variable(database)], url_variable(database)))
        elif env.get(NO_EMBEDDED_ENV, "") not in ("", "0"):
            raise InvalidInput(f"no URL for database {database}: set {url_variable(database)} or "
                               f"--url ({NO_EMBEDDED_ENV} disables the embedded fallback)")
        else:
            targets.append(Target(database, None, "embedded"))
    return targets

