"""The DatabaseMigration spec as typed values, parsed from the resource body (pure).

The API server's schema already rejects most bad objects; what it cannot check (a ConfigMap
key that is a path, a duration too large) is rejected here with the field named.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from db_migrate.engine import placeholders
from db_migrate.engine.errors import InvalidInput
from db_migrate.engine.options import (
    ChecksumPolicy,
    OutOfOrderPolicy,
    RunOptions,
    parse_duration,
    parse_version,
)
from db_migrate.engine.seeds import SeedMode
from db_migrate.engine.version import Version

GROUP = "migrations.es1.dev"
VERSION = "v1alpha1"
PLURAL = "databasemigrations"

#: Keys must be bare file names: ConfigMap keys may contain '.', '-', '_' but a path
#: separator or '..' would smuggle paths into a set.
_KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


class InvalidSpec(InvalidInput):
    reason = "InvalidSource"


class InvalidField(InvalidSpec):
    """A spec value the CRD's schema cannot fully check, or an object stored before the schema
    checked it (a control character in a path, a duration beyond PostgreSQL's limit): Stalled
    with the field named, instead of a crash without status or a retry that never heals."""

    reason = "InvalidSpec"


class InvalidConnection(InvalidSpec):
    """spec.connection itself is unusable (not the SQL source): its own reason, so that the
    status points at the right field."""

    reason = "InvalidConnection"


@dataclass(frozen=True)
class SecretKeyRef:
    name: str
    key: str


@dataclass(frozen=True)
class Connection:
    url_secret: SecretKeyRef | None = None
    host: str | None = None
    port: int = 5432
    dbname: str | None = None
    user: str | None = None
    password_secret: SecretKeyRef | None = None
    sslmode: str = "prefer"
    #: Ignored (a Warning event says why): the resource's author must not decide how a
    #: Secret's password is sent. Read for one release so that old resources stay valid.
    allow_insecure_auth: bool = False

    def secret_names(self) -> list[str]:
        return [r.name for r in (self.url_secret, self.password_secret) if r is not None]


@dataclass(frozen=True)
class ConfigMapSelection:
    names: tuple[str, ...] = ()
    match_labels: Mapping[str, str] = field(default_factory=dict)

    def matches(self, name: str, labels: Mapping[str, str]) -> bool:
        if self.names:
            return name in self.names
        return bool(self.match_labels) and all(labels.get(k) == v for k, v in self.match_labels.items())

    def label_selector(self) -> str:
        return ",".join(f"{k}={v}" for k, v in sorted(self.match_labels.items()))


@dataclass(frozen=True)
class Source:
    migrations_dir: str | None = None
    seeds_dir: str | None = None
    migrations: ConfigMapSelection | None = None
    seeds: Mapping[str, ConfigMapSelection] = field(default_factory=dict)

    @property
    def uses_configmaps(self) -> bool:
        return self.migrations is not None or bool(self.seeds)

    def selections(self) -> list[ConfigMapSelection]:
        return [s for s in [self.migrations, *self.seeds.values()] if s is not None]


@dataclass(frozen=True)
class MigrationSpec:
    database: str
    connection: Connection
    seed: SeedMode
    source: Source
    dry_run: bool
    checksum_policy: ChecksumPolicy
    suspend: bool
    group: bool
    lock_wait_s: float
    pg_lock_timeout_s: float
    statement_timeout_s: float
    history_schema: str
    history_table: str
    target_version: Version | None = None
    baseline_version: Version | None = None
    out_of_order: OutOfOrderPolicy = OutOfOrderPolicy.WARN
    #: spec.placeholders: Flyway's ``${name}`` values, name -> value.
    placeholders: tuple[tuple[str, str], ...] = ()

    def run_options(self, application_name: str) -> RunOptions:
        return RunOptions(
            seed_mode=self.seed,
            checksum_policy=self.checksum_policy,
            lock_wait_s=self.lock_wait_s,
            pg_lock_timeout_s=self.pg_lock_timeout_s,
            statement_timeout_s=self.statement_timeout_s,
            history_schema=self.history_schema,
            history_table=self.history_table,
            application_name=application_name,
            group=self.group,
            target_version=self.target_version,
            baseline_version=self.baseline_version,
            out_of_order=self.out_of_order,
            placeholders=self.placeholders,
        )


def _ref(raw: Mapping[str, Any] | None, default_key: str) -> SecretKeyRef | None:
    if not raw:
        return None
    return SecretKeyRef(str(raw["name"]), str(raw.get("key") or default_key))


def _selection(raw: Mapping[str, Any], where: str) -> ConfigMapSelection:
    names = tuple(str(n) for n in raw.get("names") or ())
    labels = dict((raw.get("selector") or {}).get("matchLabels") or {})
    if bool(names) == bool(labels):
        raise InvalidSpec(f"spec.{where}: give exactly one of names or selector.matchLabels")
    return ConfigMapSelection(names, labels)


def validate_key(key: str, origin: str) -> None:
    if not _KEY.match(key) or ".." in key:
        raise InvalidSpec(f"{origin}: key {key!r} is not a plain file name (no paths allowed)")


def _image_dir(raw: Any, field: str) -> str | None:
    """An image path without control characters: a NUL byte made every path function raise
    ValueError, a crash with no status; the value is not repeated (it cannot be shown)."""
    if raw is None:
        return None
    text = str(raw)
    bad = next((i for i, c in enumerate(text) if c < " " or c == "\x7f"), None)
    if bad is not None:
        raise InvalidField(f"{field}: has a control character at position {bad + 1}; "
                           "give an absolute path of printable characters")
    return text


def _duration(raw: Any, default: str, field: str) -> float:
    try:
        return parse_duration(default if raw is None else raw, field=field)
    except InvalidInput as exc:
        raise InvalidField(str(exc)) from None


def parse(spec: Mapping[str, Any]) -> MigrationSpec:
    conn = spec.get("connection") or {}
    source = spec.get("source") or {}
    image = source.get("image") or {}
    cms = source.get("configMaps") or {}
    timeouts = spec.get("timeouts") or {}
    history = spec.get("historyTable") or {}
    connection = Connection(
        url_secret=_ref(conn.get("urlSecretRef"), "url"),
        host=conn.get("host"),
        port=int(conn.get("port") or 5432),
        dbname=conn.get("dbname"),
        user=conn.get("user"),
        password_secret=_ref(conn.get("passwordSecretRef"), "password"),
        sslmode=str(conn.get("sslmode") or "prefer"),
        allow_insecure_auth=bool(conn.get("allowInsecureAuth", False)),
    )
    if connection.url_secret is None and connection.password_secret is None and \
            not (connection.host and connection.dbname and connection.user):
        raise InvalidConnection("spec.connection needs urlSecretRef, passwordSecretRef (with a "
                                "Secret that names the host), or host, dbname and user")
    return MigrationSpec(
        database=str(spec["database"]),
        connection=connection,
        seed=SeedMode.parse(str(spec.get("seed") or "reference")),
        source=Source(
            migrations_dir=_image_dir(image.get("migrationsDir"), "spec.source.image.migrationsDir"),
            seeds_dir=_image_dir(image.get("seedsDir"), "spec.source.image.seedsDir"),
            migrations=_selection(cms["migrations"], "source.configMaps.migrations")
            if cms.get("migrations") else None,
            seeds={name: _selection(sel, f"source.configMaps.seeds.{name}")
                   for name, sel in (cms.get("seeds") or {}).items()},
        ),
        dry_run=bool(spec.get("dryRun", False)),
        checksum_policy=ChecksumPolicy(spec.get("checksumPolicy") or "warn"),
        suspend=bool(spec.get("suspend", False)),
        group=bool(spec.get("group", False)),
        lock_wait_s=_duration(timeouts.get("migrationLock"), "60s", "spec.timeouts.migrationLock"),
        pg_lock_timeout_s=_duration(timeouts.get("lock"), "30s", "spec.timeouts.lock"),
        statement_timeout_s=_duration(timeouts.get("statement"), "0", "spec.timeouts.statement"),
        history_schema=str(history.get("schema") or "public"),
        history_table=str(history.get("name") or "_schema_migrations"),
        target_version=_version(spec.get("targetVersion"), "spec.targetVersion"),
        baseline_version=_version((spec.get("baseline") or {}).get("version"),
                                  "spec.baseline.version"),
        out_of_order=OutOfOrderPolicy(spec.get("outOfOrder") or "warn"),
        placeholders=_placeholders(spec.get("placeholders")),
    )

def _placeholders(raw: Any) -> tuple[tuple[str, str], ...]:
    """spec.placeholders, a map of string to string (the schema says so; checked here too,
    for a resource read before the CRD was updated)."""
    if raw is None:
        return ()
    if not isinstance(raw, Mapping) or not all(isinstance(v, str) for v in raw.values()):
        raise InvalidSpec("spec.placeholders: expected a map of names to string values")
    return placeholders.merge((str(k), v) for k, v in raw.items())


def _version(raw: Any, field: str) -> Version | None:
    """A whole number (as before) or a Flyway version such as "1.46.12"."""
    if raw is None:
        return None
    if isinstance(raw, bool) or not isinstance(raw, int | str):
        raise InvalidSpec(f"{field}: expected a version such as 5 or \"1.2.3\", got {raw!r}")
    try:
        return parse_version(raw, field=field)
    except InvalidInput as exc:
        raise InvalidSpec(str(exc)) from None
