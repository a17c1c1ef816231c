"""``db-migrate``: apply, plan (--dry-run) or show (--status) migrations and seeds.

Exit codes: 0 success (warnings allowed), 1 a migration or seed failed, 2 invalid input,
3 database unreachable or lock not obtained in time.  With several databases the highest code
wins.  Subcommands: ``lint``, ``verify-idempotency``, ``new``.
"""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path

from db_migrate import __version__
from db_migrate.cli import embedded, jsonout, render
from db_migrate.cli.targets import Target, choose_databases, env_default, resolve
from db_migrate.engine.connection import password_of, redact
from db_migrate.engine.errors import EXIT_FAILED, EXIT_INVALID, EXIT_OK, DbMigrateError, InvalidInput
from db_migrate.engine.options import ChecksumPolicy, RunOptions, parse_duration
from db_migrate.engine.report import Action, DatabaseReport
from db_migrate.engine.runner import run_database
from db_migrate.engine.seeds import DEFAULT_SEED_MODE, SeedMode
from db_migrate.engine.source import DirectorySource

SUBCOMMANDS = ("lint", "verify-idempotency", "new")
#: Subcommands that share the main flags (targets, history table) and run through ``run``.
RUN_SUBCOMMANDS = ("baseline", "adopt")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        # One sentence and exit 2, as for every other invalid input.
        sys.stderr.write(f"db-migrate: error: {message} (see db-migrate --help)\n")
        raise SystemExit(EXIT_INVALID)


def _version_number(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"invalid version {value!r}: expected a number >= 1 "
                                         "(5 for V5__x.sql or V005__x.sql)")
    return int(value)


def build_parser(subcommand: str | None = None) -> argparse.ArgumentParser:
    baseline = subcommand == "baseline"
    p = _Parser(
        prog=f"db-migrate {subcommand}" if subcommand else "db-migrate",
        description="Apply versioned, checksummed, idempotent PostgreSQL migrations and seeds.",
        epilog="Subcommands: db-migrate lint [PATH]... | db-migrate verify-idempotency "
               "[--database NAME]... | db-migrate new --database NAME DESCRIPTION | "
               "db-migrate baseline --version N [--database NAME]... | "
               "db-migrate adopt --from flyway [--database NAME]... . "
               "Exit codes: 0 ok, 1 failed, 2 invalid input, 3 unreachable or lock timeout.",
    )
    p.add_argument("-d", "--database", action="append", default=[], metavar="NAME",
                   help="database (folder under the migrations dir); repeatable")
    p.add_argument("--all-databases", action="store_true", help="every folder under the migrations dir")
    p.add_argument("--seed", default=env_default("DB_MIGRATE_SEED", DEFAULT_SEED_MODE.value),
                   metavar="MODE", help="none|reference|sample|full (default: reference)")
    action = p.add_mutually_exclusive_group()
    action.add_argument("--dry-run", action="store_true", help="print the plan; write nothing")
    action.add_argument("--status", action="store_true", help="show every file's state; read-only")
    p.add_argument("--json", action="store_true", help="print one JSON document (docs/cli-json.md)")
    p.add_argument("--url", help="connection URL (single database only)")
    p.add_argument("--migrations-dir", type=Path,
                   default=Path(env_default("DB_MIGRATE_MIGRATIONS_DIR", "migrations")))
    p.add_argument("--seeds-dir", type=Path, default=Path(env_default("DB_MIGRATE_SEEDS_DIR", "seeds")))
    p.add_argument("--checksum-policy", choices=[c.value for c in ChecksumPolicy],
                   default=env_default("DB_MIGRATE_CHECKSUM_POLICY", "warn"),
                   help="warn (default) or fail when an applied file changed")
    p.add_argument("--lock-timeout", default="60", metavar="S",
                   help="seconds to wait for the migration lock (default 60)")
    p.add_argument("--pg-lock-timeout", default="30s", metavar="DURATION",
                   help="PostgreSQL lock_timeout for migrations (default 30s; 0 = none)")
    p.add_argument("--statement-timeout", default="0", metavar="DURATION",
                   help="PostgreSQL statement_timeout (default 0 = none)")
    p.add_argument("--history-table", default="public._schema_migrations", metavar="[SCHEMA.]NAME")
    p.add_argument("--group", action="store_true",
                   help="apply all pending transactional migrations in one transaction")
    p.add_argument("--target", type=_version_number, metavar="N",
                   help="apply migrations up to and including VN only; seeds wait until all are")
    p.add_argument("-v", "--verbose", action="store_true",
                   help="list skipped files and show tracebacks")
    if baseline:
        # `db-migrate baseline --version N`: record V1..VN as applied without running them.
        p.add_argument("--version", dest="baseline_version", type=_version_number,
                       required=True, metavar="N",
                       help="record the migrations up to and including VN as applied")
        p.set_defaults(baseline=True)
    else:
        p.add_argument("--version", action="version", version=f"db-migrate {__version__}")
        p.set_defaults(baseline=False, baseline_version=None)
    p.add_argument("--flyway-table", default="flyway_schema_history", metavar="[SCHEMA.]NAME",
                   help="Flyway's history table (read by adopt; a first run refuses to "
                        "re-apply a database it lists)")
    if subcommand == "adopt":
        p.add_argument("--from", dest="adopt_from", choices=["flyway"], required=True,
                       help="the tool whose history to import")
    p.set_defaults(adopt=subcommand == "adopt")
    return p


def options_from(args: argparse.Namespace) -> RunOptions:
    schema, _, table = args.history_table.rpartition(".")
    if not table:
        raise InvalidInput(f"invalid --history-table {args.history_table!r}")
    return RunOptions(
        seed_mode=SeedMode.parse(args.seed),
        checksum_policy=ChecksumPolicy(args.checksum_policy),
        lock_wait_s=parse_duration(args.lock_timeout, field="--lock-timeout"),
        pg_lock_timeout_s=parse_duration(args.pg_lock_timeout, field="--pg-lock-timeout"),
        statement_timeout_s=parse_duration(args.statement_timeout, field="--statement-timeout"),
        history_schema=schema or "public",
        history_table=table,
        application_name=f"db-migrate/{__version__}@{os.uname().nodename}",
        group=args.group,
        target_version=args.target,
        baseline_version=args.baseline_version,
        flyway_table=args.flyway_table,
    )


def _urls(targets: list[Target], server: embedded.EmbeddedServer | None) -> dict[str, str]:
    urls = {}
    for t in targets:
        if t.url is not None:
            urls[t.database] = t.url
        else:
            assert server is not None
            urls[t.database] = server.ensure_database(t.database)
    return urls


def run(args: argparse.Namespace) -> int:
    out = sys.stdout
    options = options_from(args)
    action = Action.STATUS if args.status else Action.DRY_RUN if args.dry_run else Action.APPLY
    if args.baseline or args.adopt:
        if action is not Action.APPLY:
            raise InvalidInput("baseline and adopt write history rows; --status and --dry-run "
                               "do not apply to them")
        action = Action.BASELINE if args.baseline else Action.ADOPT
    source = DirectorySource(args.migrations_dir, args.seeds_dir)
    databases = choose_databases(args.database, args.all_databases, source.databases())
    targets = resolve(databases, args.url, os.environ)
    human = not args.json

    server = None
    if any(t.url is None for t in targets):
        server = embedded.start()
        if human:
            state = "started" if server.started_here else "running"
            out.write(f"embedded PostgreSQL {server.version} ({state}), data directory "
                      f"{server.data_dir}\n")
    urls = _urls(targets, server)

    reports: list[DatabaseReport] = []
    for target in targets:
        # With --json, stdout carries only the document; progress goes to stderr for logs.
        printer = render.ProgressPrinter(out if human else sys.stderr, verbose=args.verbose)
        if human:
            verb = {Action.APPLY: "migrating", Action.DRY_RUN: "plan for",
                    Action.STATUS: "status of", Action.BASELINE: "baseline of",
                    Action.ADOPT: "importing history into"}[action]
            out.write(f"\n{verb} {target.database} (seed mode {options.seed_mode.value}, "
                      f"url from {target.origin})\n")
        report = run_database(source, target.database, urls[target.database], options,
                              action=action, listener=printer if action is Action.APPLY else
                              _WarningsOnly(printer))
        printer.flush()
        reports.append(report)
        if human:
            if action is Action.STATUS and report.items:
                out.write(render.status_table(report) + "\n")
                failures = render.failures(report)
                if failures:
                    out.write(failures + "\n")
            if action is Action.DRY_RUN and report.pending and report.error is None:
                out.write(render.plan_table(report) + "\n")
            if report.error is not None:
                sys.stderr.write(render.error_lines(report.error) + "\n")
            out.write(render.summary_line(report) + "\n")
    code = max((r.exit_code for r in reports), default=EXIT_OK)
    if human:
        totals = [sum(getattr(r, k) for r in reports) for k in ("applied", "skipped", "failed")]
        if action is Action.APPLY:
            out.write(f"\n{totals[0]} applied, {totals[1]} skipped, {totals[2]} failed\n")
        elif action is Action.DRY_RUN:
            pending = sum(r.pending for r in reports)
            out.write(f"\ndry run: {pending} would be applied, {totals[1]} skipped, 0 failed; "
                      "nothing was written\n")
        elif action in (Action.BASELINE, Action.ADOPT):
            recorded = sum(r.baselined for r in reports)
            out.write(f"\n{action.value}: {recorded} recorded as applied without running them\n")
    else:
        out.write(jsonout.document(action.value, options.seed_mode.value, reports, code) + "\n")
    return code


class _WarningsOnly:
    """Status and dry runs print tables instead of progress lines, but keep the warnings."""

    def __init__(self, printer: render.ProgressPrinter) -> None:
        self.printer = printer

    def progress(self, event: object) -> None:
        pass

    def warning(self, database: str, message: str) -> None:
        self.printer.warning(database, message)

    def note(self, database: str, message: str) -> None:
        self.printer.note(database, message)


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] in SUBCOMMANDS:
        from db_migrate.cli import subcommands

        command, rest = argv[0], argv[1:]
        return guarded(lambda: subcommands.main(command, rest), prog=f"db-migrate {command}",
                       secrets=_secrets(_url_argument(rest)), verbose="--verbose" in rest)
    if argv and argv[0] in RUN_SUBCOMMANDS:
        args = build_parser(argv[0]).parse_args(argv[1:])
    else:
        args = build_parser().parse_args(argv)

    def as_json(message: str, code: int) -> None:
        if args.json:
            sys.stdout.write(jsonout.document("error", args.seed, [], code, message) + "\n")
    return guarded(lambda: run(args), prog="db-migrate", secrets=_secrets(args.url),
                   verbose=args.verbose, on_error=as_json)


def _url_argument(argv: Sequence[str]) -> str | None:
    for index, arg in enumerate(argv):
        if arg == "--url" and index + 1 < len(argv):
            return argv[index + 1]
        if arg.startswith("--url="):
            return arg.removeprefix("--url=")
    return None


def _secrets(url: str | None) -> list[str]:
    """Passwords of every URL the command may use, redacted from any error message."""
    urls = [url] if url else []
    urls += [v for k, v in os.environ.items() if k.startswith("DB_MIGRATE_URL_")]
    return [pw for u in urls if (pw := password_of(u))]


def guarded(call: Callable[[], int], *, prog: str, secrets: list[str], verbose: bool,
            on_error: Callable[[str, int], None] | None = None) -> int:
    """The one error handler of every command: an expected error is one line and its exit code
    (docs/cli.md), a bug one line too (the traceback only with --verbose); never a password."""
    try:
        return call()
    except DbMigrateError as exc:
        message, code = str(exc), exc.exit_code
    except KeyboardInterrupt:
        sys.stderr.write(f"{prog}: interrupted\n")
        return 130
    except Exception as exc:
        if verbose:
            traceback.print_exc()
        message, code = f"internal error: {type(exc).__name__}: {exc}", EXIT_FAILED
    message = redact(message, secrets)
    if on_error is not None:
        on_error(message, code)
    sys.stderr.write(f"{prog}: error: {message}\n")
    return code


if __name__ == "__main__":
    raise SystemExit(main())
