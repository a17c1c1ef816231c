"""Turn raw source files into a validated, ordered :class:`MigrationSet`.

Every problem in a database's files is collected before anything runs, so the error names
every offending file at once and the database is left untouched (no history table either).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

from db_migrate.engine.checksum import normalize
from db_migrate.engine.errors import InvalidMigrationSet
from db_migrate.engine.scripts import Kind, Script
from db_migrate.engine.seeds import SeedMode, seed_sets_for
from db_migrate.engine.source import Source, SourceFile

MIGRATION_NAME = re.compile(r"^V(?P<version>[0-9]+)__(?P<description>[^/\\]+)\.sql$")
#: Flyway's repeatable migrations: views, functions, grants, re-applied when they change.
REPEATABLE_NAME = re.compile(r"^R__(?P<description>[^/\\]+)\.sql$")
NAME_HINT = "expected V<digits>__<description>.sql, or R__<description>.sql for a repeatable one"


@dataclass(frozen=True)
class MigrationSet:
    database: str
    migrations: list[Script]
    seeds: dict[str, list[Script]] = field(default_factory=dict)
    #: ``R__*.sql`` in name order; they run after the versioned migrations, before seeds.
    repeatables: list[Script] = field(default_factory=list)

    def seeds_for(self, mode: SeedMode) -> list[Script]:
        return [s for name in seed_sets_for(mode, list(self.seeds)) for s in self.seeds[name]]

    def digest(self, mode: SeedMode) -> str:
        """Digest of exactly the content a run in ``mode`` uses (status.sourceDigest)."""
        h = hashlib.sha256()
        for script in [*self.migrations, *self.repeatables, *self.seeds_for(mode)]:
            h.update(f"{script.kind.value}\0{script.key}\0{script.checksum}\n".encode())
        return h.hexdigest()


def _script(file: SourceFile, problems: list[str], *, kind: Kind, version: int | None,
            description: str, seed_set: str | None = None) -> Script | None:
    """Normalize once, then both decode and hash the same bytes; record a problem instead.

    An empty file is accepted, as Flyway accepts it (real sets keep empty ``R__`` files): it
    is recorded as applied like any other, and the run notes it (runner.analyze_pending)."""
    body = normalize(file.content)
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        problems.append(f"{file.origin} is not valid UTF-8 (byte {exc.start})")
        return None
    return Script(kind=kind, name=file.name, origin=file.origin, text=text,
                  checksum=hashlib.sha256(body).hexdigest(), version=version,
                  description=description, seed_set=seed_set)


def _migrations(files: list[SourceFile], problems: list[str],
                repeatables: list[Script]) -> list[Script]:
    by_version: dict[int, list[SourceFile]] = {}
    scripts: list[Script] = []
    for file in sorted(files, key=lambda f: f.name):
        match = MIGRATION_NAME.match(file.name)
        repeat = REPEATABLE_NAME.match(file.name) if match is None else None
        if repeat is not None:
            script = _script(file, problems, kind=Kind.MIGRATION, version=None,
                             description=repeat["description"].replace("_", " "))
            if script is not None:
                repeatables.append(script)
            continue
        if match is None:
            problems.append(f"{file.origin} has a bad name ({NAME_HINT})")
            continue
        version = int(match["version"])
        by_version.setdefault(version, []).append(file)
        script = _script(file, problems, kind=Kind.MIGRATION, version=version,
                         description=match["description"].replace("_", " "))
        if script is not None:
            scripts.append(script)
    for version, same in sorted(by_version.items()):
        if len(same) > 1:
            names = ", ".join(f.origin for f in same)
            problems.append(f"version {version} is used by more than one file: {names}")
    # Integer order: V2 runs before V10 whatever the zero padding.
    return sorted(scripts, key=lambda s: s.version or 0)


def _seed_set(set_name: str, files: list[SourceFile], problems: list[str]) -> list[Script]:
    scripts = (_script(f, problems, kind=Kind.SEED, version=None,
                       description=f.name.removesuffix(".sql"), seed_set=set_name)
               for f in sorted(files, key=lambda f: f.name))
    return [s for s in scripts if s is not None]


def discover(source: Source, database: str) -> MigrationSet:
    """Read and validate one database's files; raise :class:`InvalidMigrationSet` on any problem."""
    problems: list[str] = []
    repeatables: list[Script] = []
    migrations = _migrations(source.migration_files(database), problems, repeatables)
    seeds = {
        name: _seed_set(name, files, problems)
        for name, files in sorted(source.seed_sets(database).items())
    }
    if problems:
        raise InvalidMigrationSet(database, problems)
    return MigrationSet(database=database, migrations=migrations, seeds=seeds,
                        repeatables=repeatables)
