"""``db-migrate lint [PATH]...``: idempotency rules on the parse tree (docs/lint.md)."""

from __future__ import annotations

import argparse
import json
import os
import sys

from db_migrate.engine import lint, placeholders
from db_migrate.engine.errors import EXIT_FAILED, EXIT_OK


def lint_main(args: argparse.Namespace) -> int:
    """Flags and their defaults come from the one tree (cli/parser.py)."""
    paths = args.paths or [d for d in (args.migrations_dir, args.seeds_dir) if d.exists()]
    values = None if args.no_placeholders else placeholders.Expander(
        placeholders.given(args.placeholder, os.environ), lint.LINT_BUILTINS)
    findings = lint.lint_paths(paths, seed_roots=[args.seeds_dir], values=values)
    if args.json:
        sys.stdout.write(json.dumps(lint.to_json(findings), indent=2) + "\n")
    else:
        for finding in findings:
            sys.stdout.write(finding.format() + "\n")
        noun = "finding" if len(findings) == 1 else "findings"
        sys.stderr.write(f"{len(findings)} {noun} in {', '.join(map(str, paths))}\n")
    return EXIT_FAILED if findings else EXIT_OK
