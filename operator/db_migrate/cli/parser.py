"""The one argument tree of ``db-migrate``: the main command (apply, ``--dry-run``, ``--status``)
and its subcommands, built from shared parent parsers so that a flag means the same thing and
has the same ``DB_MIGRATE_*`` default wherever it appears.

Only light modules are imported here: ``db-migrate --help`` and a bad flag never pay for
psycopg or the engine.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import NoReturn

from db_migrate import __version__
from db_migrate.engine.errors import EXIT_INVALID
from db_migrate.engine.options import ChecksumPolicy, OutOfOrderPolicy
from db_migrate.engine.seeds import DEFAULT_SEED_MODE
from db_migrate.engine.version import BadVersion, Version

#: Subcommands that apply or record migrations; they share every flag of the main command.
RUN_COMMANDS = (None, "baseline", "adopt")
EXIT_CODES = ("Exit codes: 0 ok, 1 failed (or findings), 2 invalid input, 3 unreachable or lock "
              "timeout, 130 interrupted (Ctrl-C), 143 terminated (SIGTERM).")


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        # One line and exit 2, as for every other invalid input (cli.main.guarded).
        sys.stderr.write(f"{self.prog}: error: {message} (see {self.prog} --help)\n")
        raise SystemExit(EXIT_INVALID)


def env_default(name: str, default: str) -> str:
    """A flag's default from ``DB_MIGRATE_*``: the one place every command reads them."""
    return os.environ.get(name) or default


def _version_number(value: str) -> Version:
    try:
        version = Version.parse(value)
    except BadVersion:
        version = Version.of(0)
    if version <= Version.of(0):
        raise argparse.ArgumentTypeError(f"invalid version {value!r}: expected a number >= 1 "
                                         "(5 for V5__x.sql or V005__x.sql) or numbers with dots "
                                         "(1.2.3 for V1.2.3__x.sql or V1_2_3__x.sql)")
    return version


def _parent() -> Parser:
    return Parser(add_help=False)


def _directory(flag: str, variable: str, default: str) -> Parser:
    p = _parent()
    p.add_argument(flag, type=Path, metavar="DIR", default=Path(env_default(variable, default)),
                   help=f"default ./{default} (${variable})")
    return p


def _migrations_dir() -> Parser:
    return _directory("--migrations-dir", "DB_MIGRATE_MIGRATIONS_DIR", "migrations")


def _seeds_dir() -> Parser:
    return _directory("--seeds-dir", "DB_MIGRATE_SEEDS_DIR", "seeds")


def _output() -> Parser:
    p = _parent()
    p.add_argument("--json", action="store_true", help="print one JSON document")
    p.add_argument("-v", "--verbose", action="store_true",
                   help="list skipped files and show tracebacks")
    return p


def _verbose() -> Parser:
    p = _parent()
    p.add_argument("-v", "--verbose", action="store_true", help="show tracebacks")
    return p


def _targets() -> Parser:
    p = _parent()
    p.add_argument("-d", "--database", action="append", default=[], metavar="NAME",
                   help="database (folder under the migrations dir); repeatable")
    p.add_argument("--all-databases", action="store_true", help="every folder under the migrations dir")
    p.add_argument("--url", help="connection URL (single database only; else "
                                 "$DB_MIGRATE_URL_<NAME>, else the embedded server)")
    return p


def _placeholders() -> Parser:
    """Flyway's placeholders, for every command that parses files (run commands and lint)."""
    p = _parent()
    p.add_argument("--placeholder", action="append", default=[], metavar="NAME=VALUE",
                   help="replace ${NAME} in the files by VALUE (repeatable; names are "
                        "case-insensitive, as in Flyway; also $DB_MIGRATE_PLACEHOLDER_<NAME>)")
    p.add_argument("--no-placeholders", action="store_true",
                   help="send ${...} to the server as written (Flyway's "
                        "placeholderReplacement=false)")
    return p


def _run_options() -> Parser:
    """Flags of every command that applies or records migrations (main, baseline, adopt)."""
    p = _parent()
    p.add_argument("--seed", default=env_default("DB_MIGRATE_SEED", DEFAULT_SEED_MODE.value),
                   metavar="MODE", help="none|reference|sample|full (default: reference, $DB_MIGRATE_SEED)")
    action = p.add_mutually_exclusive_group()
    action.add_argument("--dry-run", action="store_true", help="print the plan; write nothing")
    action.add_argument("--status", action="store_true", help="show every file's state; read-only")
    p.add_argument("--checksum-policy", choices=[c.value for c in ChecksumPolicy],
                   default=env_default("DB_MIGRATE_CHECKSUM_POLICY", "warn"),
                   help="warn (default) or fail when an applied file changed")
    p.add_argument("--out-of-order", choices=[c.value for c in OutOfOrderPolicy],
                   default=env_default("DB_MIGRATE_OUT_OF_ORDER", "warn"),
                   help="warn (default) or fail when a pending version is lower than the "
                        "highest applied one")
    p.add_argument("--lock-timeout", default="60", metavar="S",
                   help="seconds to wait for the migration lock (default 60)")
    p.add_argument("--pg-lock-timeout", default="30s", metavar="DURATION",
                   help="PostgreSQL lock_timeout for migrations (default 30s; 0 = none)")
    p.add_argument("--statement-timeout", default="0", metavar="DURATION",
                   help="PostgreSQL statement_timeout (default 0 = none)")
    p.add_argument("--history-table", default="public._schema_migrations", metavar="[SCHEMA.]NAME")
    p.add_argument("--group", action="store_true",
                   help="apply all pending transactional migrations in one transaction")
    p.add_argument("--sync-commit", action="store_true",
                   help="make every file's COMMIT wait for its WAL flush (default: files commit "
                        "asynchronously and the run ends with one flush before it reports)")
    p.add_argument("--target", type=_version_number, metavar="VERSION",
                   help="apply migrations up to and including VN only; seeds wait until all are")
    p.add_argument("--flyway-table", default="flyway_schema_history", metavar="[SCHEMA.]NAME",
                   help="Flyway's history table (read by adopt; a first run refuses to "
                        "re-apply a database it lists)")
    p.set_defaults(baseline=False, baseline_version=None, adopt=False, adopt_from=None)
    return p


def build_parser() -> Parser:
    dirs = [_migrations_dir(), _seeds_dir()]
    run_parents = [_targets(), *dirs, _run_options(), _placeholders(), _output()]
    main = Parser(
        prog="db-migrate", parents=run_parents,
        usage="db-migrate [OPTIONS]            apply (or --dry-run, --status)\n"
              "       db-migrate COMMAND [OPTIONS]    see db-migrate COMMAND --help",
        description="Apply versioned, checksummed, idempotent PostgreSQL migrations and seeds. "
                    "Without a subcommand: apply (or --dry-run, --status).",
        epilog=EXIT_CODES)
    main.add_argument("--version", action="version", version=f"db-migrate {__version__}")
    main.set_defaults(command=None)
    sub = main.add_subparsers(title="subcommands", metavar="COMMAND", dest="command", prog="db-migrate")

    baseline = sub.add_parser("baseline", parents=run_parents, epilog=EXIT_CODES,
                              help="record V1..VN as applied without running them")
    # Here --version is the baseline version, not the program's.
    baseline.add_argument("--version", dest="baseline_version", type=_version_number,
                          required=True, metavar="VERSION",
                          help="record the migrations up to and including VN as applied")
    baseline.set_defaults(baseline=True)

    adopt = sub.add_parser("adopt", parents=run_parents, epilog=EXIT_CODES,
                           help="import another tool's history (Flyway)")
    adopt.add_argument("--from", dest="adopt_from", choices=["flyway"], required=True,
                       help="the tool whose history to import")
    adopt.set_defaults(adopt=True)

    lint = sub.add_parser("lint", parents=[*dirs, _placeholders(), _output()], epilog=EXIT_CODES,
                          help="report FILE:LINE rule message for non-idempotent SQL",
                          description="Report FILE:LINE rule message for non-idempotent SQL.")
    lint.add_argument("paths", nargs="*", type=Path,
                      help="files or folders (default: the migrations and seeds dirs)")

    verify = sub.add_parser("verify-idempotency", parents=[_targets(), *dirs, _placeholders(),
                                                           _output()],
                            epilog=EXIT_CODES,
                            help="run every file twice on a throwaway database",
                            description="Apply everything to a throwaway database, run every "
                                        "file a second time, and name each file whose second "
                                        "run fails or changes the catalog.")
    # Not $DB_MIGRATE_SEED: verifying means every seed set unless asked otherwise.
    verify.add_argument("--seed", default="full", metavar="MODE",
                        help="seed mode to verify (default: full)")

    new = sub.add_parser("new", parents=[_migrations_dir(), _verbose()], epilog=EXIT_CODES,
                         help="create the next V<n>__description.sql")
    new.add_argument("-d", "--database", required=True, metavar="NAME")
    new.add_argument("description")
    return main
