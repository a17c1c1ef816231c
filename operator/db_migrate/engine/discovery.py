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
from db_migrate.engine.version import Version

#: Flyway's versioned name: ``V``, a version (numbers with dots or underscores between them:
#: ``5``, ``1.2.3``, ``1_2_3``), ``__``, a description.  The version ends at the first ``__``.
MIGRATION_NAME = re.compile(
    r"^V(?P<version>[0-9]+(?:[._][0-9]+)*)__(?P<description>[^/\\]+)\.sql$")
#: Flyway's repeatable migrations: views, functions, grants, re-applied when they change.
REPEATABLE_NAME = re.compile(r"^R__(?P<description>[^/\\]+)\.sql$")
#: A name that means to be a migration (V or R, any case, then a digit or an underscore).  One
#: that does not parse is an error: skipping it, as Flyway does, loses a migration silently.
MEANT_AS_MIGRATION = re.compile(r"^[VvRr][0-9_]")
#: Flyway's baseline migrations (``B1_20_0__x.sql``): a new database starts from the newest
#: one instead of the V files before it.  Not run here (the V files are), but named.
FLYWAY_BASELINE_NAME = re.compile(r"^B(?P<version>[0-9]+(?:[._][0-9]+)*)__.+\.sql$")
NAME_HINT = ("expected V<version>__<description>.sql with a version such as 5, 1.2.3 or 1_2_3, "
             "or R__<description>.sql for a repeatable one")


@dataclass(frozen=True)
class MigrationSet:
    database: str
    migrations: list[Script]
    seeds: dict[str, list[Script]] = field(default_factory=dict)
    #: ``R__*.sql`` in name order; they run after the versioned migrations, before seeds.
    repeatables: list[Script] = field(default_factory=list)
    #: Other ``.sql`` files under the database's folder (templates, scripts), which are not
    #: migrations and are not run; each run names them in one warning.
    ignored: list[str] = field(default_factory=list)
    #: Flyway baseline migrations (``B<version>__*.sql``) and their versions: not run, named
    #: in a warning.
    flyway_baselines: list[tuple[str, Version]] = field(default_factory=list)

    def missing_before_baseline(self) -> tuple[str, Version] | None:
        """A Flyway baseline migration with no V file up to its version (the repository
        dropped them, as Flyway lets it): a new database cannot be built from the V files."""
        first = min((s.version for s in self.migrations if s.version is not None),
                    default=None, key=lambda v: v.parts)
        return next(((origin, version) for origin, version in self.flyway_baselines
                     if first is None or version < first), None)

    def seeds_for(self, mode: SeedMode) -> list[Script]:
        return [s for name in seed_sets_for(mode, list(self.seeds)) for s in self.seeds[name]]

    def digest(self, mode: SeedMode) -> str:
        """Digest of exactly the content a run in ``mode`` uses (status.sourceDigest)."""
        h = hashlib.sha256()
        for script in [*self.migrations, *self.repeatables, *self.seeds_for(mode)]:
            h.update(f"{script.kind.value}\0{script.key}\0{script.checksum}\n".encode())
        return h.hexdigest()


def _script(file: SourceFile, problems: list[str], *, kind: Kind, version: Version | None,
            description: str, seed_set: str | None = None) -> Script | None:
    """Normalize once, then both decode and hash the same bytes; record a problem instead.

    An empty file is accepted, as Flyway accepts it (real sets keep empty ``R__`` files): it
    is recorded as applied like any other, and the run notes it (preflight.analyze_pending)."""
    body = normalize(file.content)
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        problems.append(f"{file.origin} is not valid UTF-8 (byte {exc.start})")
        return None
    return Script(kind=kind, name=file.name, origin=file.origin, text=text,
                  checksum=hashlib.sha256(body).hexdigest(), version=version,
                  description=description, seed_set=seed_set)


def _migrations(files: list[SourceFile], problems: list[str], repeatables: list[Script],
                ignored: list[str], baselines: list[tuple[str, Version]]) -> list[Script]:
    by_version: dict[Version, list[SourceFile]] = {}
    by_name: dict[str, list[SourceFile]] = {}
    scripts: list[Script] = []
    for file in sorted(files, key=lambda f: (f.name, f.origin)):
        if not file.name.lower().endswith(".sql"):
            continue  # a ConfigMap's README.md: never run, as in a folder
        match = MIGRATION_NAME.match(file.name)
        repeat = REPEATABLE_NAME.match(file.name) if match is None else None
        if repeat is not None:
            by_name.setdefault(file.name, []).append(file)
            script = _script(file, problems, kind=Kind.MIGRATION, version=None,
                             description=repeat["description"].replace("_", " "))
            if script is not None:
                repeatables.append(script)
            continue
        if match is None:
            if MEANT_AS_MIGRATION.match(file.name):
                problems.append(f"{file.origin} has a bad name ({NAME_HINT})")
            elif baseline := FLYWAY_BASELINE_NAME.match(file.name):
                baselines.append((file.origin, Version.parse(baseline["version"])))
            else:
                ignored.append(file.origin)
            continue
        version = Version.parse(match["version"])
        by_version.setdefault(version, []).append(file)
        script = _script(file, problems, kind=Kind.MIGRATION, version=version,
                         description=match["description"].replace("_", " "))
        if script is not None:
            scripts.append(script)
    for version, same in sorted(by_version.items(), key=lambda kv: kv[0].parts):
        if len(same) > 1:
            names = ", ".join(f.origin for f in same)
            problems.append(f"version {version} is used by more than one file: {names}")
    for name, same in sorted(by_name.items()):
        if len(same) > 1:  # one history row per repeatable name, whatever the folder
            problems.append(f"{name} is in more than one folder: "
                            f"{', '.join(f.origin for f in same)}")
    # Numeric order, part by part: V2 runs before V10, V1.2 before V1.10, whatever the folder.
    return sorted(scripts, key=lambda s: s.version.parts if s.version else (0,))


def _nothing_found(database: str, files: list[SourceFile], others: list[str]) -> str:
    names = [f.origin for f in files] + others
    shown = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
    return (f"no migration found among the {len(names)} file(s) of database {database} "
            f"({shown}); {NAME_HINT}")


def _seed_set(set_name: str, files: list[SourceFile], problems: list[str]) -> list[Script]:
    scripts = (_script(f, problems, kind=Kind.SEED, version=None,
                       description=f.name.removesuffix(".sql"), seed_set=set_name)
               for f in sorted(files, key=lambda f: f.name))
    return [s for s in scripts if s is not None]


def discover(source: Source, database: str) -> MigrationSet:
    """Read and validate one database's files; raise :class:`InvalidMigrationSet` on any problem."""
    problems: list[str] = []
    repeatables: list[Script] = []
    ignored: list[str] = []
    baselines: list[tuple[str, Version]] = []
    files = source.migration_files(database)
    migrations = _migrations(files, problems, repeatables, ignored, baselines)
    if not migrations and not repeatables and not problems:
        # A layout we do not read (other names, other extensions) must never look like an
        # up-to-date database: today's "0 applied, 0 skipped, 0 failed" with exit 0.
        others = source.other_files(database)
        if files or others:
            problems.append(_nothing_found(database, files, others))
    seeds = {
        name: _seed_set(name, files, problems)
        for name, files in sorted(source.seed_sets(database).items())
    }
    if problems:
        raise InvalidMigrationSet(database, problems)
    return MigrationSet(database=database, migrations=migrations, seeds=seeds,
                        repeatables=repeatables, ignored=ignored, flyway_baselines=baselines)
