"""The main command (bare or ``apply``) and ``baseline``/``adopt``: apply, plan (--dry-run),
show (--status) or record migrations and seeds, one database after another.  Imported only when
one of them runs: it pulls in psycopg and the engine."""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import replace
from typing import TypeVar

from db_migrate import __version__
from db_migrate.cli import embedded, jsonout, render
from db_migrate.cli.parser import reported_seed_mode
from db_migrate.cli.targets import Target, choose_databases, resolve
from db_migrate.engine import placeholders
from db_migrate.engine.errors import EXIT_OK, InvalidInput
from db_migrate.engine.options import ChecksumPolicy, OutOfOrderPolicy, RunOptions, parse_duration
from db_migrate.engine.report import Action, DatabaseReport
from db_migrate.engine.runner import run_database
from db_migrate.engine.seeds import SeedMode
from db_migrate.engine.source import DirectorySource


def options_from(args: argparse.Namespace) -> RunOptions:
    """The run's settings from the flags of its command: each reads only the flags its own
    parser has (cli/parser.py), the others keep RunOptions' defaults."""
    schema, _, table = args.history_table.rpartition(".")
    if not table:
        raise InvalidInput(f"invalid --history-table {args.history_table!r}")
    options = RunOptions(
        seed_mode=SeedMode.parse(reported_seed_mode(args)),
        lock_wait_s=parse_duration(args.lock_timeout, field="--lock-timeout"),
        pg_lock_timeout_s=parse_duration(args.pg_lock_timeout, field="--pg-lock-timeout"),
        statement_timeout_s=parse_duration(args.statement_timeout, field="--statement-timeout"),
        history_schema=schema or "public",
        history_table=table,
        application_name=f"db-migrate/{__version__}@{os.uname().nodename}",
    )
    if args.command == "baseline":
        return replace(options, baseline_version=args.baseline_version)
    options = replace(
        options,
        checksum_policy=_policy(ChecksumPolicy, args.checksum_policy, "--checksum-policy"),
        flyway_table=args.flyway_table,
    )
    if args.command == "adopt":
        return options
    return replace(
        options,
        group=args.group,
        async_commit=not args.sync_commit,
        target_version=args.target,
        out_of_order=_policy(OutOfOrderPolicy, args.out_of_order, "--out-of-order"),
        placeholders=placeholders.given(args.placeholder, os.environ),
        placeholder_replacement=not args.no_placeholders,
    )


def action_of(args: argparse.Namespace) -> Action:
    if args.command == "baseline":
        return Action.BASELINE
    if args.command == "adopt":
        return Action.ADOPT
    return Action.STATUS if args.status else Action.DRY_RUN if args.dry_run else Action.APPLY


_P = TypeVar("_P", ChecksumPolicy, OutOfOrderPolicy)


def _policy(kind: type[_P], value: str, flag: str) -> _P:
    # argparse checks a flag's value, not its default from $DB_MIGRATE_*.
    try:
        return kind(value)
    except ValueError:
        raise InvalidInput(f"invalid {flag} {value!r}: expected "
                           f"{' or '.join(c.value for c in kind)}") from None


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
    action = action_of(args)
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
            # A refused database would apply nothing: its files are not counted as "would be
            # applied" right under the error that refused them.
            pending = sum(r.pending for r in reports if r.error is None)
            refused = sum(1 for r in reports if r.error is not None)
            outcome = f", {refused} refused (see the error above)" if refused else ", 0 failed"
            out.write(f"\ndry run: {pending} would be applied, {totals[1]} skipped{outcome}; "
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
