"""Operator settings from the environment (set in deploy/'s Deployment).

Every ``DB_MIGRATE_*`` variable the operator reads is read here, and only when
:meth:`Settings.from_env` is called at start-up (``db_migrate.operator.main``, else kopf's
startup handler ``db_migrate.operator.handlers.configure``): importing the reconciler, or the
operator package, reads nothing.
"""

from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass
from pathlib import Path

from db_migrate import __version__
from db_migrate.reconciler.status import DEFAULT_MIGRATIONS, MAX_MIGRATIONS


def _float(name: str, default: float) -> float:
    value = os.environ.get(name)
    return float(value) if value else default


def _allowed_hosts(value: str, variable: str = "DB_MIGRATE_ALLOWED_HOSTS") -> tuple[str, ...]:
    entries = tuple(h.strip() for h in value.split(",") if h.strip())
    for entry in entries:
        # A mistyped CIDR would otherwise be taken for a host name and silently match nothing.
        if "/" in entry and not entry.startswith("/"):
            try:
                ipaddress.ip_network(entry, strict=False)
            except ValueError:
                raise ValueError(f"{variable}: {entry!r} is not a CIDR") from None
    return entries


#: Mounted in every Pod with a ServiceAccount token: the namespace the operator runs in.
_SA_NAMESPACE = Path("/var/run/secrets/kubernetes.io/serviceaccount/namespace")


def _own_namespace() -> str:
    try:
        return _SA_NAMESPACE.read_text().strip() or "db-migrate-system"
    except OSError:  # a process outside a Pod (tests, make demo's fallback)
        return "db-migrate-system"


def _log_json(value: str) -> bool:
    if value.lower() not in ("text", "json"):
        raise ValueError(f"DB_MIGRATE_LOG_FORMAT: {value!r} is neither text nor json")
    return value.lower() == "json"


@dataclass(frozen=True)
class Settings:
    #: Sets baked into the image (source.image defaults).
    migrations_dir: Path
    seeds_dir: Path
    #: Periodic drift check per resource; reads the history table, holds no idle connection.
    drift_interval_s: float
    #: Bound on concurrent reconciliations (kopf worker threads); each holds at most one
    #: PostgreSQL connection, so it is also the operator's connection cap.
    workers: int
    #: Exponential backoff for transient trouble: base * 2^attempt, capped; never gives up.
    retry_base_s: float
    retry_max_s: float
    metrics_port: int
    liveness_port: int
    application_name: str
    #: source.image paths must resolve under this directory (docs/security.md).
    image_root: Path = Path("/app")
    #: Database hosts, IP addresses and CIDRs the operator may connect to; empty: any.
    allowed_hosts: tuple[str, ...] = ()
    #: Hosts, IP addresses and CIDRs to which the operator may answer a cleartext or MD5
    #: password request (DB_MIGRATE_INSECURE_AUTH_HOSTS); empty: none. The operator's
    #: administrator's setting; a Secret's owner can allow it per Secret (docs/security.md).
    insecure_auth_hosts: tuple[str, ...] = ()
    #: Namespaces to watch; empty: the whole cluster.
    namespaces: tuple[str, ...] = ()
    #: Where each replica keeps its member Lease (reconciler/shards.py); the operator's own
    #: namespace unless DB_MIGRATE_LEASE_NAMESPACE says otherwise.
    lease_namespace: str = "db-migrate-system"
    #: A member whose Lease was not renewed for this long is gone; its resources move.
    lease_duration_s: float = 10.0
    lease_renew_s: float = 2.0
    #: False (DB_MIGRATE_SHARDING=off): every replica owns every resource, no Lease is used
    #: (the engine's advisory lock still keeps runs apart; tests of the overlap use it).
    sharding: bool = True
    #: kopf's verbose logging (DB_MIGRATE_VERBOSE=1).
    verbose: bool = False
    #: One JSON object per log line (DB_MIGRATE_LOG_FORMAT=json), else kopf's text lines.
    log_json: bool = False
    #: Bound on kopf's concurrent connections to the API server (operator/session.py).
    api_connections: int = 10
    #: Secret reads per pass of the retry scheduler at most (reconciler/retries.py).
    secret_poll_budget: int = 50
    #: Entries kept in status.migrations (the newest), 1..200 (the CRD's maxItems).
    status_migrations: int = DEFAULT_MIGRATIONS
    #: db_migrate_resource_run_duration_seconds, a histogram per resource
    #: (DB_MIGRATE_METRICS_PER_RESOURCE_HISTOGRAMS=1): 16 series per resource, so opt-in.
    metrics_per_resource_histograms: bool = False

    @classmethod
    def from_env(cls) -> Settings:
        migrations_dir = Path(os.environ.get("DB_MIGRATE_MIGRATIONS_DIR", "/app/migrations"))
        return cls(
            migrations_dir=migrations_dir,
            seeds_dir=Path(os.environ.get("DB_MIGRATE_SEEDS_DIR", "/app/seeds")),
            drift_interval_s=_float("DB_MIGRATE_DRIFT_INTERVAL", 300.0),
            workers=int(_float("DB_MIGRATE_WORKERS", 8)),
            retry_base_s=_float("DB_MIGRATE_RETRY_BASE", 5.0),
            retry_max_s=_float("DB_MIGRATE_RETRY_MAX", 300.0),
            metrics_port=int(_float("DB_MIGRATE_METRICS_PORT", 9090)),
            liveness_port=int(_float("DB_MIGRATE_LIVENESS_PORT", 8080)),
            application_name=f"db-migrate-operator/{__version__}@{os.uname().nodename}",
            image_root=Path(os.environ.get("DB_MIGRATE_IMAGE_ROOT") or migrations_dir.parent),
            allowed_hosts=_allowed_hosts(os.environ.get("DB_MIGRATE_ALLOWED_HOSTS", "")),
            insecure_auth_hosts=_allowed_hosts(os.environ.get("DB_MIGRATE_INSECURE_AUTH_HOSTS", ""),
                                               "DB_MIGRATE_INSECURE_AUTH_HOSTS"),
            namespaces=tuple(n.strip() for n in os.environ.get("DB_MIGRATE_NAMESPACES", "").split(",")
                             if n.strip()),
            lease_namespace=os.environ.get("DB_MIGRATE_LEASE_NAMESPACE") or _own_namespace(),
            lease_duration_s=max(1.0, _float("DB_MIGRATE_LEASE_DURATION", 10.0)),
            lease_renew_s=max(0.1, _float("DB_MIGRATE_LEASE_RENEW", 2.0)),
            sharding=os.environ.get("DB_MIGRATE_SHARDING", "on").lower() not in ("off", "0", "false"),
            verbose=os.environ.get("DB_MIGRATE_VERBOSE") == "1",
            log_json=_log_json(os.environ.get("DB_MIGRATE_LOG_FORMAT", "text")),
            api_connections=max(1, int(_float("DB_MIGRATE_API_CONNECTIONS", 10))),
            secret_poll_budget=max(1, int(_float("DB_MIGRATE_SECRET_POLL_BUDGET", 50))),
            status_migrations=min(MAX_MIGRATIONS, max(1, int(_float(
                "DB_MIGRATE_STATUS_MIGRATIONS", DEFAULT_MIGRATIONS)))),
            metrics_per_resource_histograms=os.environ.get(
                "DB_MIGRATE_METRICS_PER_RESOURCE_HISTOGRAMS", "0").lower() in ("1", "true", "on"),
        )

    def backoff(self, attempt: int) -> float:
        return float(min(self.retry_max_s, self.retry_base_s * (2 ** min(attempt, 16))))

