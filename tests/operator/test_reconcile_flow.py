"""Every row of the reconcile flow (docs/operator.md) without a cluster: an in-memory Kube
holding the Secrets and ConfigMaps, and a real PostgreSQL that the engine migrates.

Each case arranges the world, optionally runs a first reconciliation and changes something,
reconciles, and checks the Result, the conditions written, the events and the database.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import psycopg
import pytest

from db_migrate.reconciler.credentials import ALLOW
from db_migrate.reconciler.reconcile import Next, Result, reconcile
from db_migrate.reconciler.settings import Settings
from tests.operator.fakekube import FakeKube
from tests.pgservers import PgServer

NS, NAME = "apps", "shop"
SECRET = "shop-db"


class Events:
    """The reconciler's Events protocol, kept in lists."""

    def __init__(self) -> None:
        self.normals: list[tuple[str, str]] = []
        self.warnings: list[tuple[str, str]] = []

    def normal(self, reason: str, message: str) -> None:
        self.normals.append((reason, message))

    def warning(self, reason: str, message: str) -> None:
        self.warnings.append((reason, message))

    def __repr__(self) -> str:
        return f"Events({self.normals!r}, {self.warnings!r})"


@dataclass
class World:
    kube: FakeKube
    url: str
    settings: Settings
    events: Events = field(default_factory=Events)

    def reconcile(self, **kwargs: Any) -> Result:
        return reconcile(self.kube.resource(), self.kube, self.settings, self.events,
                         **kwargs)

    @property
    def status(self) -> dict[str, Any]:
        return dict(self.kube.obj["status"])

    def condition(self, ctype: str) -> dict[str, Any]:
        return next((c for c in self.status.get("conditions") or [] if c["type"] == ctype), {})

    def sql(self, query: str) -> list[tuple[Any, ...]]:
        with psycopg.connect(self.url, autocommit=True) as conn:
            cur = conn.execute(query)
            return cur.fetchall() if cur.description else []

    def tables(self) -> set[str]:
        return {r[0] for r in self.sql("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")}


def spec(**extra: Any) -> dict[str, Any]:
    return {"database": "shop",
            "connection": {"urlSecretRef": {"name": SECRET, "key": "url"}},
            "source": {"configMaps": {"migrations": {"names": ["shop-sql"]}}},
            **extra}


def settings(tmp: Path, **changes: Any) -> Settings:
    base = Settings(migrations_dir=tmp / "migrations", seeds_dir=tmp / "seeds",
                    drift_interval_s=300.0, workers=1, retry_base_s=5.0, retry_max_s=300.0,
                    metrics_port=0, liveness_port=0, application_name="db-migrate-test",
                    image_root=tmp)
    return replace(base, **changes)


V1 = {"V1__orders.sql": "CREATE TABLE orders (id int PRIMARY KEY);"}
V2 = {**V1, "V2__invoices.sql": "CREATE TABLE invoices (id int PRIMARY KEY);"}
ALLOWED = {ALLOW: "true"}


def _no_setup(w: World) -> None:
    pass


@dataclass(frozen=True)
class Case:
    name: str
    expect: Next
    #: Ready, Reconciling, Stalled: (status, reason) each.
    ready: tuple[str, str]
    reconciling: tuple[str, str]
    stalled: tuple[str, str]
    spec: dict[str, Any] = field(default_factory=spec)
    sql: dict[str, str] = field(default_factory=lambda: dict(V1))
    secret_labels: dict[str, str] = field(default_factory=lambda: dict(ALLOWED))
    #: Turns the database URL into the one the Secret holds.
    url: Callable[[str], str] = lambda url: url
    settings: dict[str, Any] = field(default_factory=dict)
    #: Runs a first reconciliation (asserted to succeed) and changes something after it.
    before: Callable[[World], None] | None = None
    drift_check: bool = False
    #: The first condition written by this run: (Ready status, reason), None for no write.
    first_write: tuple[str, str] | None = None
    check: Callable[[World, Result], None] = lambda w, r: None


def new_resource(w: World, r: Result) -> None:
    assert w.tables() == {"orders", "_schema_migrations"}
    assert (w.status["applied"], w.status["currentVersion"], w.status["pending"]) == (1, "1", 0)
    assert w.status["sourceRevisions"] == {"ConfigMap/shop-sql": w.kube.seen["ConfigMap/shop-sql"]}
    assert w.condition("DatabaseReachable")["status"] == "True"
    # Two API writes: one status patch (no Progressing write first: the status was for no
    # generation yet) and one event naming the files.
    assert len(w.kube.patches) == 1
    assert [reason for reason, _ in w.events.normals] == ["Succeeded"]
    assert w.events.normals[0][1].startswith("V1 applied; 1 applied, 0 skipped, 0 failed: "
                                             "V1__orders.sql (")
    assert w.events.warnings == []


def change_source(w: World) -> None:
    w.kube.put_configmap("shop-sql", V2)


def source_changed(w: World, r: Result) -> None:
    assert {"orders", "invoices"} <= w.tables()
    assert (w.status["applied"], w.status["skipped"], w.status["currentVersion"]) == (1, 1, "2")


def change_spec(w: World) -> None:
    w.kube.put_configmap("shop-sql", V2)
    w.kube.update_spec(targetVersion=2)


def spec_changed(w: World, r: Result) -> None:
    # One status patch for the run: until it, status.observedGeneration (and every condition's)
    # is the old generation, which kstatus and the Argo CD health check read as in progress.
    assert len(w.kube.patches) == 2
    assert w.status["currentVersion"] == "2"
    assert [reason for reason, _ in w.events.normals] == ["Succeeded"]


def db_down(w: World, r: Result) -> None:
    assert r.delay_s == w.settings.backoff(0) == 5.0
    reach = w.condition("DatabaseReachable")
    assert (reach["status"], reach["reason"]) == ("False", "DatabaseUnavailable")
    assert "retrying in 5 s (attempt 1)" in w.status["message"]
    assert [reason for reason, _ in w.events.warnings] == ["DatabaseUnavailable"]


def bad_sql(w: World, r: Result) -> None:
    assert w.status["failed"] == 1 and w.status["applied"] == 0
    assert "orders" not in w.tables()
    assert [reason for reason, _ in w.events.warnings] == ["MigrationFailed"]
    assert "V1__orders.sql" in r.message


def suspended(w: World, r: Result) -> None:
    assert w.status["suspended"] is True
    assert w.tables() == set(), "a suspended resource must not touch the database"


def dry_run(w: World, r: Result) -> None:
    assert w.status["lastRun"]["dryRun"] is True
    assert (w.status["pending"], w.status["applied"]) == (1, 0)
    assert "orders" not in w.tables()


def delete_history_row(w: World) -> None:
    w.sql("DELETE FROM _schema_migrations WHERE version = 1; DROP TABLE orders")


def drift(w: World, r: Result) -> None:
    assert "orders" in w.tables()
    assert w.sql("SELECT count(*) FROM _schema_migrations WHERE version = 1 AND success")[0][0] == 1
    assert w.status["applied"] == 1
    assert "1 pending found by a check" in w.kube.patches[-2]["message"]


V3 = {**V2, "V3__refunds.sql": "CREATE TABLE refunds (id int PRIMARY KEY);"}


def held_back_at_target(w: World, r: Result) -> None:
    # spec.targetVersion: 2 for a staged rollout; V3 waits for the next step.
    assert {"orders", "invoices"} <= w.tables() and "refunds" not in w.tables()
    assert (w.status["applied"], w.status["currentVersion"]) == (2, "2")
    # One event per run naming every applied file, not one event per file.
    assert [reason for reason, _ in w.events.normals] == ["Succeeded"]
    message = w.events.normals[0][1]
    assert message.startswith("V2 applied; 2 applied, 0 skipped, 0 failed: V1__orders.sql (")
    assert "V2__invoices.sql" in message and "V3" not in message


def newest_entries_kept(w: World, r: Result) -> None:
    # DB_MIGRATE_STATUS_MIGRATIONS bounds status.migrations to the newest entries; the counts
    # still describe the whole run.
    assert [m["script"] for m in w.status["migrations"]] == ["V3__refunds.sql"]
    assert (w.status["applied"], w.status["currentVersion"]) == (3, "3")


def baselined(w: World, r: Result) -> None:
    # spec.baseline.version: 2 on a database built by hand: V1..V2 recorded without running
    # (their bodies would fail), only V3 runs.
    assert w.tables() == {"refunds", "_schema_migrations"}
    rows = w.sql("SELECT version, success FROM _schema_migrations ORDER BY version")
    assert rows == [(1, True), (2, True), (3, True)]
    assert w.status["currentVersion"] == "3"


def refused_without_touching(reason: str) -> Callable[[World, Result], None]:
    def check(w: World, r: Result) -> None:
        assert w.tables() == set()
        assert [reason_ for reason_, _ in w.events.warnings] == [reason]
        # The Secret's value (the URL, with its password) is in no status, event or result.
        written = repr(w.kube.patches) + repr(w.events) + r.message
        assert w.url not in written
    return check


def invalid_spec_naming(start: str) -> Callable[[World, Result], None]:
    def check(w: World, r: Result) -> None:
        assert w.tables() == set()
        assert w.condition("Stalled")["message"].startswith(start), w.condition("Stalled")
        # The value is not repeated: repr() would show its NUL as \x00.
        assert "\\x00" not in repr(w.kube.patches) + repr(w.events)
        assert [reason for reason, _ in w.events.warnings] == ["InvalidSpec"]
    return check


CASES = [
    Case("new resource", Next.DONE, ("True", "Succeeded"), ("False", "Succeeded"),
         ("False", "Succeeded"), first_write=("True", "Succeeded"), check=new_resource),
    Case("source changed", Next.DONE, ("True", "Succeeded"), ("False", "Succeeded"),
         ("False", "Succeeded"), before=change_source, first_write=("False", "SourceChanged"),
         check=source_changed),
    Case("spec changed: no early write, the old generation reads in progress", Next.DONE,
         ("True", "Succeeded"), ("False", "Succeeded"), ("False", "Succeeded"),
         before=change_spec, first_write=("True", "Succeeded"), check=spec_changed),
    Case("transient error: database down", Next.RETRY, ("False", "DatabaseUnavailable"),
         ("True", "DatabaseUnavailable"), ("False", "NotStalled"),
         url=lambda url: "postgresql://postgres@127.0.0.1:1/shop?connect_timeout=3",
         first_write=("False", "DatabaseUnavailable"), check=db_down),
    Case("stalled: bad SQL", Next.STALLED, ("False", "MigrationFailed"),
         ("False", "MigrationFailed"), ("True", "MigrationFailed"),
         sql={"V1__orders.sql": "CREATE TABEL orders (id int);"},
         first_write=("False", "MigrationFailed"), check=bad_sql),
    Case("suspended", Next.SUSPENDED, ("False", "Suspended"), ("False", "Suspended"),
         ("False", "Suspended"), spec=spec(suspend=True), first_write=("False", "Suspended"),
         check=suspended),
    Case("dry run", Next.DONE, ("True", "DryRun"), ("False", "DryRun"), ("False", "DryRun"),
         spec=spec(dryRun=True), first_write=("True", "DryRun"), check=dry_run),
    Case("drift: history row deleted, re-applied", Next.DONE, ("True", "Succeeded"),
         ("False", "Succeeded"), ("False", "Succeeded"), before=delete_history_row,
         drift_check=True, first_write=("False", "Progressing"), check=drift),
    Case("targetVersion holds later files back", Next.DONE, ("True", "Succeeded"),
         ("False", "Succeeded"), ("False", "Succeeded"), spec=spec(targetVersion=2),
         sql=dict(V3), first_write=("True", "Succeeded"), check=held_back_at_target),
    Case("status.migrations keeps the newest entries", Next.DONE, ("True", "Succeeded"),
         ("False", "Succeeded"), ("False", "Succeeded"), sql=dict(V3),
         settings={"status_migrations": 1}, first_write=("True", "Succeeded"),
         check=newest_entries_kept),
    Case("baseline on a database built by hand", Next.DONE, ("True", "Succeeded"),
         ("False", "Succeeded"), ("False", "Succeeded"), spec=spec(baseline={"version": 2}),
         sql={**{k: "SELECT nope;" for k in V2}, "V3__refunds.sql": V3["V3__refunds.sql"]},
         first_write=("True", "Succeeded"), check=baselined),
    Case("Secret not allowed", Next.STALLED, ("False", "SecretNotAllowed"),
         ("False", "SecretNotAllowed"), ("True", "SecretNotAllowed"), secret_labels={},
         first_write=("False", "SecretNotAllowed"),
         check=refused_without_touching("SecretNotAllowed")),
    Case("host not allowed", Next.STALLED, ("False", "HostNotAllowed"),
         ("False", "HostNotAllowed"), ("True", "HostNotAllowed"),
         settings={"allowed_hosts": ("10.0.0.0/8",)}, first_write=("False", "HostNotAllowed"),
         check=refused_without_touching("HostNotAllowed")),
    Case("invalid spec.connection", Next.STALLED, ("False", "InvalidConnection"),
         ("False", "InvalidConnection"), ("True", "InvalidConnection"),
         spec={**spec(), "connection": {"host": "db"}}, first_write=("False", "InvalidConnection"),
         check=refused_without_touching("InvalidConnection")),
    Case("NUL byte in migrationsDir", Next.STALLED, ("False", "InvalidSpec"),
         ("False", "InvalidSpec"), ("True", "InvalidSpec"),
         spec={**spec(), "source": {"image": {"migrationsDir": "/app/migrations\x00x"}}},
         first_write=("False", "InvalidSpec"),
         check=invalid_spec_naming("spec.source.image.migrationsDir: has a control character "
                                   "at position 16")),
    Case("timeout beyond PostgreSQL's limit", Next.STALLED, ("False", "InvalidSpec"),
         ("False", "InvalidSpec"), ("True", "InvalidSpec"),
         spec=spec(timeouts={"statement": "99999999999999999999999h"}),
         first_write=("False", "InvalidSpec"),
         check=invalid_spec_naming("invalid duration '99999999999999999999999h' for "
                                   "spec.timeouts.statement: at most 2147483647ms")),
]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_reconcile_flow(case: Case, pg18: PgServer, tmp_path: Path) -> None:
    url = pg18.create_database("flow")
    kube = FakeKube(NS, NAME, case.spec)
    kube.put_configmap("shop-sql", case.sql)
    kube.put_secret(SECRET, {"url": case.url(url)}, labels=case.secret_labels)
    w = World(kube, url, settings(tmp_path, **case.settings))
    if case.before is not None:
        first = w.reconcile()
        assert first.next is Next.DONE, first.message
        case.before(w)
        w.events = Events()
    written_before = len(kube.patches)

    result = w.reconcile(drift_check=case.drift_check)

    assert result.next is case.expect, result.message
    for ctype, want in (("Ready", case.ready), ("Reconciling", case.reconciling),
                        ("Stalled", case.stalled)):
        cond = w.condition(ctype)
        assert (cond["status"], cond["reason"]) == want, (ctype, cond)
        assert cond["observedGeneration"] == kube.obj["metadata"]["generation"]
    assert w.status["observedGeneration"] == kube.obj["metadata"]["generation"]
    writes = kube.patches[written_before:]
    if case.first_write is not None:
        ready = next(c for c in writes[0]["conditions"] if c["type"] == "Ready")
        assert (ready["status"], ready["reason"]) == case.first_write
    case.check(w, result)


def test_a_ready_resource_rechecked_with_nothing_pending_writes_no_status(
        pg18: PgServer, tmp_path: Path) -> None:
    url = pg18.create_database("flow")
    kube = FakeKube(NS, NAME, spec())
    kube.put_configmap("shop-sql", V1)
    kube.put_secret(SECRET, {"url": url}, labels=ALLOWED)
    w = World(kube, url, settings(tmp_path))
    assert w.reconcile().next is Next.DONE
    written = len(kube.patches)
    result = w.reconcile(drift_check=True)
    assert (result.next, result.message) == (Next.DONE, "up to date")
    assert kube.patches[written:] == []
    assert w.status["applied"] == 1, "the last real run's counts stay visible"


def test_a_retry_after_the_database_returns_succeeds_and_marks_it_reachable(
        pg18: PgServer, tmp_path: Path) -> None:
    url = pg18.create_database("flow")
    kube = FakeKube(NS, NAME, spec())
    kube.put_configmap("shop-sql", V1)
    kube.put_secret(SECRET, {"url": "postgresql://postgres@127.0.0.1:1/x?connect_timeout=3"},
                    labels=ALLOWED)
    w = World(kube, url, settings(tmp_path))
    assert w.reconcile().next is Next.RETRY
    assert w.reconcile(attempt=1).delay_s == 10.0
    assert [r for r, _ in w.events.warnings] == ["DatabaseUnavailable"], "one warning per reason"
    kube.put_secret(SECRET, {"url": url}, labels=ALLOWED)
    assert w.reconcile(attempt=2).next is Next.DONE
    assert w.condition("Ready")["status"] == "True"
    assert w.condition("DatabaseReachable")["status"] == "True"
    assert "orders" in w.tables()


def test_a_missing_configmap_is_retried_not_stalled(pg18: PgServer, tmp_path: Path) -> None:
    url = pg18.create_database("flow")
    kube = FakeKube(NS, NAME, spec())
    kube.put_secret(SECRET, {"url": url}, labels=ALLOWED)
    w = World(kube, url, settings(tmp_path))
    result = w.reconcile()
    assert result.next is Next.RETRY
    assert (w.condition("Reconciling")["status"], w.condition("Reconciling")["reason"]) == \
        ("True", "ConfigMapNotFound")
    assert w.condition("Stalled")["status"] == "False"


def test_a_deleted_configmap_is_source_unavailable_and_the_database_stays_reachable(
        pg18: PgServer, tmp_path: Path) -> None:
    url = pg18.create_database("flow")
    kube = FakeKube(NS, NAME, spec())
    kube.put_configmap("shop-sql", V1)
    kube.put_secret(SECRET, {"url": url}, labels=ALLOWED)
    w = World(kube, url, settings(tmp_path))
    assert w.reconcile().next is Next.DONE
    assert w.condition("SourceAvailable")["status"] == "True"
    del kube._configmaps["shop-sql"]

    result = w.reconcile(drift_check=True)

    assert result.next is Next.RETRY
    source = w.condition("SourceAvailable")
    assert (source["status"], source["reason"]) == ("False", "ConfigMapNotFound")
    assert "ConfigMap apps/shop-sql not found" in source["message"]
    # The database was not asked anything, so nothing is known against it; Ready keeps the
    # last verified state (docs/operator.md, "Outages").
    reach = w.condition("DatabaseReachable")
    assert (reach["status"], reach["reason"]) == ("True", "Reachable")
    assert w.condition("Ready")["status"] == "True"
    assert [reason for reason, _ in w.events.warnings] == ["ConfigMapNotFound"]

    kube.put_configmap("shop-sql", V1)
    assert w.reconcile(drift_check=True).next is Next.DONE
    source = w.condition("SourceAvailable")
    assert (source["status"], source["reason"]) == ("True", "SourceRead")
    assert w.status["message"] == w.condition("Ready")["message"]


def test_a_missing_configmap_of_a_new_resource_is_source_unavailable_not_unreachable(
        pg18: PgServer, tmp_path: Path) -> None:
    url = pg18.create_database("flow")
    kube = FakeKube(NS, NAME, spec())
    kube.put_secret(SECRET, {"url": url}, labels=ALLOWED)
    w = World(kube, url, settings(tmp_path))
    assert w.reconcile().next is Next.RETRY
    assert (w.condition("SourceAvailable")["status"], w.condition("SourceAvailable")["reason"]) \
        == ("False", "ConfigMapNotFound")
    assert w.condition("DatabaseReachable") == {}
    kube.put_configmap("shop-sql", V1)
    assert w.reconcile(attempt=1).next is Next.DONE
    assert w.condition("SourceAvailable")["status"] == "True"
    assert w.condition("DatabaseReachable")["status"] == "True"


def test_a_stall_repeated_for_the_same_reason_posts_one_warning(
        pg18: PgServer, tmp_path: Path) -> None:
    url = pg18.create_database("flow")
    kube = FakeKube(NS, NAME, spec())
    kube.put_configmap("shop-sql", {"V1__orders.sql": "CREATE TABEL orders (id int);"})
    kube.put_secret(SECRET, {"url": url}, labels=ALLOWED)
    w = World(kube, url, settings(tmp_path))
    assert w.reconcile().next is Next.STALLED
    # Woken again (a Secret rotated, say) without a fix: the same stall.
    kube.put_secret(SECRET, {"url": url}, labels=ALLOWED)
    assert w.reconcile().next is Next.STALLED
    # (The engine's own note that the failed file runs again is an event of its own.)
    stalls = [reason for reason, _ in w.events.warnings if reason != "Warning"]
    assert stalls == ["MigrationFailed"], w.events
    # Another reason is news.
    kube.update_spec(timeouts={"lock": "9999999999h"})
    assert w.reconcile().next is Next.STALLED
    stalls = [reason for reason, _ in w.events.warnings if reason != "Warning"]
    assert stalls == ["MigrationFailed", "InvalidSpec"], w.events


def test_a_symlink_in_the_image_root_is_followed_only_to_a_path_under_it(
        pg18: PgServer, tmp_path: Path) -> None:
    url = pg18.create_database("flow")
    root, outside = tmp_path / "app", tmp_path / "outside"
    (outside / "shop").mkdir(parents=True)
    (outside / "shop" / "V1__leak.sql").write_text("CREATE TABLE leaked (id int);")
    (root / "migrations" / "real").mkdir(parents=True)
    (root / "migrations" / "real" / "V1__orders.sql").write_text(V1["V1__orders.sql"])
    # A database folder that is a link out of the root, and a file that is one.
    (root / "migrations" / "linked-dir").symlink_to(outside / "shop")
    (root / "migrations" / "linked-file").mkdir()
    (root / "migrations" / "linked-file" / "V1__x.sql").symlink_to(outside / "shop" / "V1__leak.sql")
    shown = {"linked-dir": "migrations/linked-dir in the image root",
             "linked-file": "migrations/linked-file/V1__x.sql in the image root"}
    for database in shown:
        kube = FakeKube(NS, NAME, {**spec(), "database": database, "source": {}})
        kube.put_secret(SECRET, {"url": url}, labels=ALLOWED)
        w = World(kube, url, settings(tmp_path, migrations_dir=root / "migrations",
                                      seeds_dir=root / "seeds", image_root=root))
        result = w.reconcile()
        assert result.next is Next.STALLED, result.message
        stalled = w.condition("Stalled")
        assert stalled["reason"] == "InvalidSource"
        assert stalled["message"].startswith(shown[database]), stalled["message"]
        assert str(outside) not in stalled["message"]
        assert "leaked" not in w.tables()
    # A link that stays under the root is followed as before.
    (root / "migrations" / "alias").symlink_to(root / "migrations" / "real")
    kube = FakeKube(NS, NAME, {**spec(), "database": "alias", "source": {}})
    kube.put_secret(SECRET, {"url": url}, labels=ALLOWED)
    w = World(kube, url, settings(tmp_path, migrations_dir=root / "migrations",
                                  seeds_dir=root / "seeds", image_root=root))
    assert w.reconcile().next is Next.DONE
    assert "orders" in w.tables()


def test_spec_placeholders_reach_the_engine_and_a_missing_one_stalls_naming_it(
        pg18: PgServer, tmp_path: Path) -> None:
    url = pg18.create_database("flow")
    kube = FakeKube(NS, NAME, spec(placeholders={"Owner": "shop"}))
    kube.put_configmap("shop-sql", {
        "V1__orders.sql": "CREATE TABLE orders (id int PRIMARY KEY, owner text DEFAULT '${owner}');",
        "V2__label.sql": "COMMENT ON TABLE orders IS '${label}';"})
    kube.put_secret(SECRET, {"url": url}, labels=ALLOWED)
    w = World(kube, url, settings(tmp_path))
    result = w.reconcile()
    assert result.next is Next.STALLED, result.message
    stalled = w.condition("Stalled")
    assert (stalled["status"], stalled["reason"]) == ("True", "InvalidMigrationSet")
    assert "V2__label.sql line 1: no value for placeholder ${label}" in stalled["message"]
    assert w.tables() == set(), "nothing half-applied"
    kube.update_spec(placeholders={"Owner": "shop", "LABEL": "orders of the shop"})
    assert w.reconcile().next is Next.DONE
    assert w.sql("SELECT column_default FROM information_schema.columns "
                 "WHERE table_name = 'orders' AND column_name = 'owner'") == [("'shop'::text",)]
    assert w.sql("SELECT obj_description('orders'::regclass)") == [("orders of the shop",)]


def test_the_stalled_gauge_and_drift_check_counter_follow_the_runs(
        pg18: PgServer, tmp_path: Path) -> None:
    # What deploy/monitoring/'s alerts read: db_migrate_stalled while Stalled, and drift checks
    # counted by outcome.
    from prometheus_client import REGISTRY

    def sample(metric: str, **labels: str) -> float:
        return REGISTRY.get_sample_value(metric, labels) or 0.0

    url = pg18.create_database("flow")
    kube = FakeKube(NS, "gauged", spec())
    kube.put_configmap("shop-sql", {"V1__orders.sql": "CREATE TABEL orders (id int);"})
    kube.put_secret(SECRET, {"url": url}, labels=ALLOWED)
    w = World(kube, url, settings(tmp_path))
    who = {"namespace": NS, "name": "gauged", "database": "shop"}
    assert w.reconcile().next is Next.STALLED
    assert sample("db_migrate_stalled", **who) == 1.0
    kube.put_configmap("shop-sql", V1)
    assert w.reconcile().next is Next.DONE
    assert sample("db_migrate_stalled", **who) == 0.0
    clean = sample("db_migrate_drift_checks_total", result="clean")
    assert w.reconcile(drift_check=True).next is Next.DONE
    assert sample("db_migrate_drift_checks_total", result="clean") == clean + 1
