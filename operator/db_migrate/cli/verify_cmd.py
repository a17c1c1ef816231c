"""``db-migrate verify-idempotency``: apply everything into a throwaway database, run every
file a second time, and name each file whose second run fails or changes the catalog."""

from __future__ import annotations

import argparse
import json
import os
import sys

from db_migrate.cli import embedded, render
from db_migrate.cli.targets import choose_databases, resolve
from db_migrate.engine import placeholders
from db_migrate.engine.errors import EXIT_OK
from db_migrate.engine.idempotency import verify_idempotency
from db_migrate.engine.options import RunOptions
from db_migrate.engine.seeds import SeedMode
from db_migrate.engine.source import DirectorySource


def verify_main(args: argparse.Namespace) -> int:
    """Flags and their defaults come from the one tree (cli/parser.py)."""
    source = DirectorySource(args.migrations_dir, args.seeds_dir)
    available = source.databases()
    # Like the main command, but "every database" is the natural default here.
    databases = choose_databases(args.database, args.all_databases or not args.database, available)
    targets = resolve(databases, args.url, os.environ)
    server = embedded.start() if any(t.url is None for t in targets) else None
    options = RunOptions(seed_mode=SeedMode.parse(args.seed), application_name="db-migrate/verify",
                         placeholders=placeholders.given(args.placeholder, os.environ),
                         placeholder_replacement=not args.no_placeholders)
    code = EXIT_OK
    documents = []
    for target in targets:
        admin_url = target.url or (server.admin_url if server else "")

        report = verify_idempotency(source, target.database, admin_url, options)
        code = max(code, report.exit_code)
        if args.json:
            documents.append(report.to_json())
        else:
            sys.stdout.write(render.idempotency_report(report) + "\n")
    if args.json:
        sys.stdout.write(json.dumps(documents, indent=2) + "\n")
    return code
