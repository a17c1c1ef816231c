"""``lint``, ``verify-idempotency`` and ``new``."""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from db_migrate.cli.targets import env_default
from db_migrate.engine.errors import EXIT_INVALID, EXIT_OK, InvalidInput

_VERSION = re.compile(r"^V(?P<digits>[0-9]+)__")


def new_migration(migrations_dir: Path, database: str, description: str) -> Path:
    """Create the next ``V<n>__description.sql``, padded like the existing files."""
    folder = migrations_dir / database
    if not folder.is_dir():
        raise InvalidInput(f"unknown database {database!r}: no folder {folder}")
    slug = re.sub(r"[^a-z0-9]+", "_", description.lower()).strip("_")
    if not slug:
        raise InvalidInput(f"description {description!r} has no letters or digits")
    digits = [m["digits"] for f in folder.iterdir() if (m := _VERSION.match(f.name))]
    width = max((len(d) for d in digits), default=3)
    version = max((int(d) for d in digits), default=0) + 1
    path = folder / f"V{version:0{width}d}__{slug}.sql"
    path.write_text(
        f"-- {description}\n-- Idempotent: CREATE ... IF NOT EXISTS, CREATE OR REPLACE, "
        "DROP ... IF EXISTS.\n\n"
    )
    return path


def main(command: str, argv: list[str]) -> int:
    """Errors are reported by the caller's one handler (``cli.main.guarded``)."""
    if command == "new":
        p = argparse.ArgumentParser(prog="db-migrate new")
        p.add_argument("--database", "-d", required=True)
        p.add_argument("--migrations-dir", type=Path,
                       default=Path(env_default("DB_MIGRATE_MIGRATIONS_DIR", "migrations")))
        p.add_argument("description")
        args = p.parse_args(argv)
        path = new_migration(args.migrations_dir, args.database, args.description)
        print(path)
        return EXIT_OK
    if command == "lint":
        from db_migrate.cli.lint_cmd import lint_main

        return lint_main(argv)
    if command == "verify-idempotency":
        from db_migrate.cli.verify_cmd import verify_main

        return verify_main(argv)
    sys.stderr.write(f"db-migrate: unknown subcommand {command}\n")
    return EXIT_INVALID

