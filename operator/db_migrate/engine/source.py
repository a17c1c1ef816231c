"""Where migration and seed files come from.

One abstraction serves every origin: a directory on disk (local work, Compose, Jobs), the
directory baked into the operator image (the same class, another path), and ConfigMaps (the
operator reads them and hands over a :class:`MappingSource`).  The engine never knows which.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from db_migrate.engine.errors import InvalidInput


@dataclass(frozen=True)
class SourceFile:
    """One file: its bare name (without folders), raw bytes, and where it came from (the path
    or ConfigMap key, for messages)."""

    name: str
    content: bytes
    origin: str


class Source(Protocol):
    """Lists databases and hands out the raw files of each; validation happens in discovery."""

    def describe(self) -> str: ...

    def databases(self) -> list[str]: ...

    def migration_files(self, database: str) -> list[SourceFile]: ...

    def other_files(self, database: str) -> list[str]:
        """Origins of the database's files that are not SQL (README.md, Java migrations):
        never run, only counted, so that a folder where nothing was found is an error."""
        ...

    def seed_sets(self, database: str) -> dict[str, list[SourceFile]]: ...


def _sql_or_suspect(name: str) -> bool:
    # Hidden files and editor droppings are not ours to judge; every other .sql file is listed
    # so that discovery can judge its name.  Non-.sql files (README.md) are only counted.
    return not name.startswith(".") and name.lower().endswith(".sql")


class OutsideRoot(InvalidInput):
    """A symbolic link under a confined source's root points outside it."""

    reason = "InvalidSource"


class DirectorySource:
    """``<migrations_dir>/<database>/**/V<version>__*.sql`` (any depth) and
    ``<seeds_dir>/<database>/<set>/*.sql``.

    With ``root`` (the operator's image root), every folder and file read must resolve to a
    path under it: a symbolic link in the image (a database folder or a file) would otherwise
    let the operator read, and run as SQL, any file it can.  The CLI reads the user's own
    tree and gives no root."""

    def __init__(self, migrations_dir: Path, seeds_dir: Path | None, *,
                 root: Path | None = None) -> None:
        self.migrations_dir = migrations_dir
        self.seeds_dir = seeds_dir
        self.root = root
        self._real_root = root.resolve() if root is not None else None

    def _confined(self, path: str | Path) -> None:
        """Raise OutsideRoot if ``path``, symbolic links resolved, leaves the root."""
        if self.root is None or self._real_root is None:
            return
        if Path(os.path.realpath(path)).is_relative_to(self._real_root):
            return
        # Named relative to the root, as the image's author knows it; the target is not shown.
        shown = next((Path(path).relative_to(r) for r in (self._real_root, self.root)
                      if Path(path).is_relative_to(r)), Path(path))
        raise OutsideRoot(f"{shown} in the image root {self.root} is a symbolic link to a path "
                          "outside it (or lies under one); the operator reads only files under "
                          "the image root (DB_MIGRATE_IMAGE_ROOT)")

    def describe(self) -> str:
        return str(self.migrations_dir)

    def databases(self) -> list[str]:
        if not self.migrations_dir.is_dir():
            raise InvalidInput(f"migrations directory {self.migrations_dir} does not exist")
        return sorted(
            entry.name
            for entry in os.scandir(self.migrations_dir)
            if entry.is_dir() and not entry.name.startswith(".")
        )

    @staticmethod
    def _walk(folder: Path) -> tuple[list[tuple[str, str, bool]], list[str]]:
        """Names and paths of every ``.sql`` file under ``folder``, at any depth (Flyway scans
        its locations recursively, and real repositories keep migrations in folders per
        release), and the paths of the other files.  Hidden files and folders are skipped;
        links to folders are not followed (a loop would never end).  Nothing is read, and
        scandir's entries answer is_file without a stat per file (5,000 files)."""
        sql_files: list[tuple[str, str, bool]] = []
        others: list[str] = []
        pending = [str(folder)]
        while pending:
            with os.scandir(pending.pop()) as entries:
                for entry in entries:
                    if entry.name.startswith("."):
                        continue
                    if entry.is_dir(follow_symlinks=False):
                        pending.append(entry.path)
                    elif not entry.is_file():  # follows links; a dangling one is neither
                        continue
                    elif _sql_or_suspect(entry.name):
                        sql_files.append((entry.name, entry.path, entry.is_symlink()))
                    else:
                        others.append(entry.path)
        return sql_files, others

    def _read_dir(self, folder: Path) -> list[SourceFile]:
        self._confined(folder)
        files = []
        for entry in os.scandir(folder):
            if entry.is_file() and _sql_or_suspect(entry.name):
                if entry.is_symlink():
                    # Only links need resolving (is_symlink is cached by scandir): a
                    # realpath per file would cost more than the read at 5,000 files.
                    self._confined(entry.path)
                # entry.path is str(folder / name) already; a Path per file cost more than
                # the read at 5,000 files.
                with open(entry.path, "rb") as handle:
                    files.append(SourceFile(entry.name, handle.read(), entry.path))
        return files

    def _database_dir(self, database: str) -> Path:
        folder = self.migrations_dir / database
        if not folder.is_dir():
            known = ", ".join(self.databases()) or "none"
            raise InvalidInput(
                f"unknown database {database!r}: no folder {folder} (known: {known})"
            )
        return folder

    def migration_files(self, database: str) -> list[SourceFile]:
        folder = self._database_dir(database)
        self._confined(folder)
        files = []
        for name, path, link in self._walk(folder)[0]:
            if link:
                self._confined(path)  # only links need resolving (cached by scandir)
            with open(path, "rb") as handle:
                files.append(SourceFile(name, handle.read(), path))
        return files

    def other_files(self, database: str) -> list[str]:
        return self._walk(self._database_dir(database))[1]

    def seed_sets(self, database: str) -> dict[str, list[SourceFile]]:
        if self.seeds_dir is None:
            return {}
        folder = self.seeds_dir / database
        if not folder.is_dir():
            return {}
        self._confined(folder)
        return {
            entry.name: self._read_dir(Path(entry.path))
            for entry in os.scandir(folder)
            if entry.is_dir() and not entry.name.startswith(".")
        }


class MappingSource:
    """In-memory files, e.g. the merged keys of several ConfigMaps."""

    def __init__(
        self,
        migrations: Mapping[str, list[SourceFile]],
        seeds: Mapping[str, Mapping[str, list[SourceFile]]] | None = None,
        description: str = "in-memory source",
    ) -> None:
        self._migrations = migrations
        self._seeds = seeds or {}
        self._description = description

    def describe(self) -> str:
        return self._description

    def databases(self) -> list[str]:
        return sorted(self._migrations)

    def migration_files(self, database: str) -> list[SourceFile]:
        if database not in self._migrations:
            raise InvalidInput(f"unknown database {database!r} in {self._description}")
        return list(self._migrations[database])

    def other_files(self, database: str) -> list[str]:
        # Keys that are not .sql come with migration_files; discovery sets them apart.
        return []

    def seed_sets(self, database: str) -> dict[str, list[SourceFile]]:
        return {name: list(files) for name, files in self._seeds.get(database, {}).items()}
