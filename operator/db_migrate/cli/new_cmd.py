"""``db-migrate new``: the next versioned file, padded like the others."""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from db_migrate.engine.errors import EXIT_OK, InvalidInput

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


def new_main(args: argparse.Namespace) -> int:
    """``db-migrate new --database NAME DESCRIPTION``: prints the created file's path."""
    path = new_migration(args.migrations_dir, args.database, args.description)
    sys.stdout.write(f"{path}\n")
    return EXIT_OK
