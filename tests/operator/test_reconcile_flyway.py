"""The operator on Flyway-style sets (in-memory Kube, real PostgreSQL 18): dotted versions in
the status and the Version column, several ConfigMaps as Flyway's locations, spec.outOfOrder."""

from __future__ import annotations

from pathlib import Path

from db_migrate.reconciler.reconcile import Next
from tests.operator.fakekube import FakeKube
from tests.operator.test_reconcile_flow import ALLOWED, NAME, NS, SECRET, World, settings, spec
from tests.pgservers import PgServer

RELEASE_1 = {"V1__orders.sql": "CREATE TABLE orders (id int PRIMARY KEY);",
             "V1_1__index.sql": "CREATE INDEX orders_id ON orders (id);",
             "README.md": "release 1"}
RELEASE_2 = {"V1.46.12__invoices.sql": "CREATE TABLE invoices (id int PRIMARY KEY);"}


def world(pg18: PgServer, tmp_path: Path, body: dict[str, object],
          maps: dict[str, dict[str, str]]) -> World:
    url = pg18.create_database("flyway")
    kube = FakeKube(NS, NAME, body)
    for name, files in maps.items():
        kube.put_configmap(name, files)
    kube.put_secret(SECRET, {"url": url}, labels=ALLOWED)
    return World(kube, url, settings(tmp_path))


def test_dotted_versions_from_several_configmaps_show_in_the_status_as_flyway_writes_them(
        pg18: PgServer, tmp_path: Path) -> None:
    body = spec(source={"configMaps": {"migrations": {"names": ["release-2", "release-1"]}}})
    w = world(pg18, tmp_path, body, {"release-1": RELEASE_1, "release-2": RELEASE_2})
    result = w.reconcile()
    assert result.next is Next.DONE, result.message
    assert (w.status["applied"], w.status["currentVersion"]) == (3, "1.46.12")
    assert [m["version"] for m in w.status["migrations"]] == ["1", "1.1", "1.46.12"]
    assert w.condition("Ready")["message"].startswith("V1.46.12 applied; 3 applied")


def test_spec_out_of_order_fail_stalls_naming_the_file_and_warn_applies_it(
        pg18: PgServer, tmp_path: Path) -> None:
    late = {**RELEASE_1, **RELEASE_2}
    w = world(pg18, tmp_path, spec(outOfOrder="fail"), {"shop-sql": late})
    assert w.reconcile().next is Next.DONE
    w.kube.put_configmap("shop-sql", {**late, "V1.2__hotfix.sql": "SELECT 1;"})
    result = w.reconcile()
    assert result.next is Next.STALLED, result.message
    stalled = w.condition("Stalled")
    assert (stalled["status"], stalled["reason"]) == ("True", "OutOfOrder")
    assert "V1.2__hotfix.sql" in stalled["message"] and "V1.46.12" in stalled["message"]
    w.kube.obj["spec"]["outOfOrder"] = "warn"
    w.kube.obj["metadata"]["generation"] += 1
    assert w.reconcile().next is Next.DONE
    assert w.status["applied"] == 1 and w.condition("Ready")["status"] == "True"
