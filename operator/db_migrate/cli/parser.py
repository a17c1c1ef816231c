"""The one argument tree of ``db-migrate``: the main command (apply, ``--dry-run``, ``--status``),
also named ``apply``, and its subcommands.  Each subcommand takes only the flags it uses; the
groups of flags are built once, as parent parsers, so that a flag means the same thing and has
the same ``DB_MIGRATE_*`` default wherever it appears:

=================== ===== ======== ===== ==== ================== ================
group               apply baseline adopt lint verify-idempotency new
=================== ===== ======== ===== ==== ================== ================
targets, dirs       yes   yes      yes   dirs yes                --migrations-dir
history and locks   yes   yes      yes
checksum policy     yes            yes
Flyway's table      yes            yes
apply only          yes
placeholders        yes                  yes  yes
output              yes   yes      yes   yes  yes                -v
=================== ===== ======== ===== ==== ================== ================

A flag given to a subcommand that does not take it is refused by that subcommand's parser, at
parse time: ``db-migrate adopt: error: unrecognized arguments: --dry-run``, exit 2.

Only light modules are imported here: ``db-migrate --help`` and a bad flag never pay for
psycopg or the engine.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from db_migrate import __version__
from db_migrate.engine.errors import EXIT_INVALID
from db_migrate.engine.options import ChecksumPolicy, OutOfOrderPolicy
from db_migrate.engine.seeds import DEFAULT_SEED_MODE
from db_migrate.engine.version import BadVersion, Version

#: The main command without a subcommand (the seed's ``db-migrate --database NAME``) and its
#: own name: the same flags, the same run.
APPLY_COMMANDS = (None, "apply")
#: Commands that apply or record migrations (cli/apply_cmd.py).
RUN_COMMANDS = (*APPLY_COMMANDS, "baseline", "adopt")
EXIT_CODES = ("Exit codes: 0 ok, 1 failed (or findings), 2 invalid input, 3 unreachable or lock "
              "timeout, 130 interrupted (Ctrl-C), 143 terminated (SIGTERM).")


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        # One line and exit 2, as for every other invalid input (cli.main.guarded).
        sys.stderr.write(f"{self.prog}: error: {message} (see {self.prog} --help)\n")
        raise SystemExit(EXIT_INVALID)


if TYPE_CHECKING:
    _SubParsers = argparse._SubParsersAction[Parser]
else:
    _SubParsers = argparse._SubParsersAction


class _Subcommands(_SubParsers):
    """Everything after a subcommand's name goes to that subcommand's own parser, which parses
    it strictly: a flag the subcommand does not take is refused there, naming the subcommand and
    the flag, and the namespace then holds the subcommand's flags only.  (argparse's own action
    leaves unknown flags to the main parser, whose message does not name the subcommand, and
    keeps the main command's defaults in the namespace: every apply flag would seem given to
    ``adopt``.)  Options before the name are refused by cli.main."""

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
                 values: str | Sequence[Any] | None, option_string: str | None = None) -> None:
        assert isinstance(values, list)  # nargs=PARSER: the name (a valid choice), then the rest
        name, *rest = values
        own = self._name_parser_map[name].parse_args(rest)
        vars(namespace).clear()
        vars(namespace).update(vars(own))
        setattr(namespace, self.dest, name)


def env_default(name: str, default: str) -> str:
    """A flag's default from ``DB_MIGRATE_*``: the one place every command reads them."""
    return os.environ.get(name) or default


def seed_default() -> str:
    return env_default("DB_MIGRATE_SEED", DEFAULT_SEED_MODE.value)


def reported_seed_mode(args: argparse.Namespace) -> str:
    """The seed mode a run command reports (its heading, ``--json``): ``--seed`` for apply.
    ``baseline`` and ``adopt`` run no seed and take no ``--seed``; they report the mode of the
    runs that follow them, ``$DB_MIGRATE_SEED`` (default reference), as they always did."""
    return str(args.seed) if args.command in APPLY_COMMANDS else seed_default()


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
    """Flyway's placeholders, for every command that parses files (apply and lint, verify)."""
    p = _parent()
    p.add_argument("--placeholder", action="append", default=[], metavar="NAME=VALUE",
                   help="replace ${NAME} in the files by VALUE (repeatable; names are "
                        "case-insensitive, as in Flyway; also $DB_MIGRATE_PLACEHOLDER_<NAME>)")
    p.add_argument("--no-placeholders", action="store_true",
                   help="send ${...} to the server as written (Flyway's "
                        "placeholderReplacement=false)")
    return p


def _apply_only() -> Parser:
    """What to run and how: the main command's own flags."""
    p = _parent()
    p.add_argument("--seed", default=seed_default(),
                   metavar="MODE", help="none|reference|sample|full (default: reference, $DB_MIGRATE_SEED)")
    action = p.add_mutually_exclusive_group()
    action.add_argument("--dry-run", action="store_true", help="print the plan; write nothing")
    action.add_argument("--status", action="store_true", help="show every file's state; read-only")
    p.add_argument("--out-of-order", choices=[c.value for c in OutOfOrderPolicy],
                   default=env_default("DB_MIGRATE_OUT_OF_ORDER", "warn"),
                   help="warn (default) or fail when a pending version is lower than the "
                        "highest applied one")
    p.add_argument("--group", action="store_true",
                   help="apply all pending transactional migrations in one transaction")
    p.add_argument("--sync-commit", action="store_true",
                   help="make every file's COMMIT wait for its WAL flush (default: files commit "
                        "asynchronously and the run ends with one flush before it reports)")
    p.add_argument("--target", type=_version_number, metavar="VERSION",
                   help="apply migrations up to and including VN only; seeds wait until all are")
    return p


def _history() -> Parser:
    """Every command that writes the history table under the migration lock (apply, baseline,
    adopt): which table, how long to wait for the lock, the server's timeouts."""
    p = _parent()
    p.add_argument("--lock-timeout", default="60", metavar="S",
                   help="seconds to wait for the migration lock (default 60)")
    p.add_argument("--pg-lock-timeout", default="30s", metavar="DURATION",
                   help="PostgreSQL lock_timeout for migrations (default 30s; 0 = none)")
    p.add_argument("--statement-timeout", default="0", metavar="DURATION",
                   help="PostgreSQL statement_timeout (default 0 = none)")
    p.add_argument("--history-table", default="public._schema_migrations", metavar="[SCHEMA.]NAME")
    return p


def _checksum_policy() -> Parser:
    """apply: files changed after db-migrate applied them; adopt: after Flyway did."""
    p = _parent()
    p.add_argument("--checksum-policy", choices=[c.value for c in ChecksumPolicy],
                   default=env_default("DB_MIGRATE_CHECKSUM_POLICY", "warn"),
                   help="warn (default) or fail when an applied file changed")
    return p


def _flyway_table() -> Parser:
    """adopt imports it; apply's first run refuses a database it lists."""
    p = _parent()
    p.add_argument("--flyway-table", default="flyway_schema_history", metavar="[SCHEMA.]NAME",
                   help="Flyway's history table (read by adopt; a first run refuses to "
                        "re-apply a database it lists)")
    return p


def build_parser() -> Parser:
    # Each group once; a parser takes them as parents (argparse shares the actions).
    targets, placeholders, output = _targets(), _placeholders(), _output()
    dirs = [_migrations_dir(), _seeds_dir()]
    history, checksum_policy, flyway_table = _history(), _checksum_policy(), _flyway_table()
    apply_parents = [targets, *dirs, _apply_only(), checksum_policy, history, flyway_table,
                     placeholders, output]
    main = Parser(
        prog="db-migrate", parents=apply_parents,
        usage="db-migrate [apply] [OPTIONS]    apply (or --dry-run, --status)\n"
              "       db-migrate COMMAND [OPTIONS]    see db-migrate COMMAND --help",
        description="Apply versioned, checksummed, idempotent PostgreSQL migrations and seeds. "
                    "Without a subcommand, or with apply: apply (or --dry-run, --status).",
        epilog=EXIT_CODES)
    # The program's --version, on the main parser only (baseline has its own --version).
    main.add_argument("--version", action="version", version=f"db-migrate {__version__}")
    main.set_defaults(command=None)
    sub = main.add_subparsers(title="subcommands", metavar="COMMAND", dest="command",
                              prog="db-migrate", action=_Subcommands)

    sub.add_parser("apply", parents=apply_parents, epilog=EXIT_CODES,
                   help="apply (or --dry-run, --status); the same as without a subcommand",
                   description="Apply pending migrations and seeds (or --dry-run, --status): "
                               "the same as db-migrate [OPTIONS] without a subcommand.")

    # No abbreviations where apply's flags were taken away: `--seed` would silently become
    # `--seeds-dir` instead of being refused.
    baseline = sub.add_parser("baseline", parents=[targets, *dirs, history, output],
                              epilog=EXIT_CODES, allow_abbrev=False,
                              help="record V1..VN as applied without running them",
                              description="Record the migrations up to and including a version "
                                          "as applied, without running them.")
    # Here --version is the baseline version, not the program's.
    baseline.add_argument("--version", dest="baseline_version", type=_version_number,
                          required=True, metavar="VERSION",
                          help="record the migrations up to and including VN as applied")

    adopt = sub.add_parser("adopt", parents=[targets, *dirs, checksum_policy, history,
                                             flyway_table, output],
                           epilog=EXIT_CODES, allow_abbrev=False,
                           help="import another tool's history (Flyway)",
                           description="Import another tool's history (Flyway's "
                                       "flyway_schema_history), checking its checksums; run "
                                       "nothing.")
    adopt.add_argument("--from", dest="adopt_from", choices=["flyway"], required=True,
                       help="the tool whose history to import")

    lint = sub.add_parser("lint", parents=[*dirs, placeholders, output], epilog=EXIT_CODES,
                          help="report FILE:LINE rule message for non-idempotent SQL",
                          description="Report FILE:LINE rule message for non-idempotent SQL.")
    lint.add_argument("paths", nargs="*", type=Path,
                      help="files or folders (default: the migrations and seeds dirs)")

    verify = sub.add_parser("verify-idempotency", parents=[targets, *dirs, placeholders, output],
                            epilog=EXIT_CODES,
                            help="run every file twice on a throwaway database",
                            description="Apply everything to a throwaway database, run every "
                                        "file a second time, and name each file whose second "
                                        "run fails or changes the catalog.")
    # Not $DB_MIGRATE_SEED: verifying means every seed set unless asked otherwise.
    verify.add_argument("--seed", default="full", metavar="MODE",
                        help="seed mode to verify (default: full)")

    new = sub.add_parser("new", parents=[dirs[0], _verbose()], epilog=EXIT_CODES,
                         help="create the next V<n>__description.sql")
    new.add_argument("-d", "--database", required=True, metavar="NAME")
    new.add_argument("description")
    return main
