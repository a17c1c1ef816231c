"""``db-migrate new``: the next versioned file, padded like the others."""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from db_migrate.engine.errors import EXIT_OK, InvalidInput
from db_migrate.engine.version import Version

_VERSION = re.compile(r"^V(?P<version>[0-9]+(?:[._][0-9]+)*)__")


def _next_name(folder: Path, slug: str) -> str:
    """After ``V007__x.sql``: ``V008__slug.sql`` (same padding).  After a Flyway version such
    as ``V1.46.12__x.sql``: ``V1.46.13__slug.sql``, its last number plus one, so that the new
    file sorts last whatever the scheme.  Every folder below counts, as in discovery."""
    found = [m["version"] for f in folder.rglob("V*__*.sql") if (m := _VERSION.match(f.name))]
    if not found:
        return f"V001__{slug}.sql"
    newest = max(found, key=Version.parse)
    if Version.parse(newest).whole is not None:
        width = max(len(v) for v in found if Version.parse(v).whole is not None)
        return f"V{int(newest) + 1:0{width}d}__{slug}.sql"
    head, sep, last = re.split(r"([._])(?=[0-9]+$)", newest)
    return f"V{head}{sep}{int(last) + 1}__{slug}.sql"


def new_migration(migrations_dir: Path, database: str, description: str) -> Path:
    """Create the next ``V<n>__description.sql``, padded like the existing files."""
    folder = migrations_dir / database
    if not folder.is_dir():
        raise InvalidInput(f"unknown database {database!r}: no folder {folder}")
    slug = re.sub(r"[^a-z0-9]+", "_", description.lower()).strip("_")
    if not slug:
        raise InvalidInput(f"description {description!r} has no letters or digits")
    path = folder / _next_name(folder, slug)
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
