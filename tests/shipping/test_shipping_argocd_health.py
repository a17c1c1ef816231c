"""The ArgoCD health check for DatabaseMigration, run by a real Lua 5.1 interpreter.

ArgoCD runs health.lua in gopher-lua (Lua 5.1) with the live object as the global ``obj``; lupa's
``lua51`` runtime is the same language. Every case of health_test.yaml (ArgoCD's own test format)
is executed here, so the file ArgoCD's tooling would run and the one pytest runs are the same.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from tests.pgservers import PgServer
from tests.shipping.helpers import DEPLOY, HEALTH_DIR, load_docs, load_one

lupa_lua51 = pytest.importorskip("lupa.lua51", reason="lupa (with its Lua 5.1 runtime) is needed")

HEALTH_LUA = HEALTH_DIR / "health.lua"
HEALTH_TESTS = HEALTH_DIR / "health_test.yaml"
ARGOCD_CM = DEPLOY / "argocd" / "argocd-cm.yaml"
CM_KEY = "resource.customizations.health.migrations.es1.dev_DatabaseMigration"
ARGOCD_STATUSES = {"Healthy", "Progressing", "Degraded", "Suspended"}

# What ArgoCD's Lua VM offers a health script: the base library plus string, table and math
# (and a few os time functions, which this script does not use). Nothing else is reachable, so a
# script that needs io, require or the like fails here as it would in ArgoCD.
SANDBOX_GLOBALS = [
    *("assert", "error", "ipairs", "next", "pairs", "pcall", "select", "tonumber", "tostring"),
    *("type", "unpack", "xpcall", "string", "table", "math"),
]


def _cases() -> list[dict[str, Any]]:
    tests = load_one(HEALTH_TESTS)["tests"]
    assert isinstance(tests, list)
    return tests


def _to_lua(runtime: Any, value: Any) -> Any:
    """A YAML value as ArgoCD hands it to Lua: JSON types, maps and arrays as tables."""
    if isinstance(value, dict):
        return runtime.table_from({key: _to_lua(runtime, item) for key, item in value.items()})
    if isinstance(value, list):
        return runtime.table_from([_to_lua(runtime, item) for item in value])
    if isinstance(value, dt.datetime | dt.date):
        # The API server serialises timestamps as RFC 3339 strings.
        return value.isoformat()
    return value


def run_health(obj: dict[str, Any]) -> dict[str, Any]:
    """Evaluate health.lua for one object in a fresh sandboxed Lua 5.1 state."""
    runtime = lupa_lua51.LuaRuntime(unpack_returned_tuples=False)
    lua_globals = runtime.globals()
    env = runtime.table_from({name: lua_globals[name] for name in SANDBOX_GLOBALS})
    env["obj"] = _to_lua(runtime, obj)
    compiled = runtime.eval("loadstring")(HEALTH_LUA.read_text(encoding="utf-8"), "health.lua")
    # loadstring returns the chunk, or (nil, message) when the source is not valid Lua 5.1.
    if isinstance(compiled, tuple):
        pytest.fail(f"health.lua does not compile as Lua 5.1: {compiled[1]}")
    chunk = compiled
    lua_globals.setfenv(chunk, env)
    result = chunk()
    assert result is not None, "health.lua returned nothing"
    return {key: result[key] for key in ("status", "message")}


@pytest.mark.parametrize("case", _cases(), ids=lambda case: Path(case["inputPath"]).stem)
def test_health_lua_gives_the_expected_status_and_message(case: dict[str, Any]) -> None:
    obj = load_one(HEALTH_DIR / case["inputPath"])
    assert run_health(obj) == case["healthStatus"]


def test_health_cases_cover_every_argocd_status() -> None:
    covered = {case["healthStatus"]["status"] for case in _cases()}
    assert covered == ARGOCD_STATUSES


def test_every_testdata_file_is_checked_by_a_case() -> None:
    used = {(HEALTH_DIR / case["inputPath"]).resolve() for case in _cases()}
    on_disk = {path.resolve() for path in (HEALTH_DIR / "testdata").glob("*.yaml")}
    assert on_disk == used


def test_testdata_file_names_say_the_expected_status() -> None:
    # healthy.yaml, progressing_*.yaml, degraded_*.yaml, suspended.yaml: a reader can tell what a
    # file is for without opening health_test.yaml.
    for case in _cases():
        stem = Path(case["inputPath"]).stem
        assert stem.split("_")[0] == case["healthStatus"]["status"].lower(), stem


def test_stalled_wins_over_a_leftover_ready_condition() -> None:
    obj = load_one(HEALTH_DIR / "testdata" / "degraded_migration_failed.yaml")
    conditions = obj["status"]["conditions"]
    for condition in conditions:
        if condition["type"] == "Ready":
            condition["status"] = "True"
    assert run_health(obj)["status"] == "Degraded"


def test_healthy_object_turns_progressing_when_its_spec_changes() -> None:
    obj = load_one(HEALTH_DIR / "testdata" / "healthy.yaml")
    assert run_health(obj)["status"] == "Healthy"
    obj["metadata"]["generation"] += 1
    assert run_health(obj) == {
        "status": "Progressing",
        "message": f"Waiting for the operator to observe generation {obj['metadata']['generation']}",
    }


def test_reconciling_without_message_reports_its_reason() -> None:
    obj = load_one(HEALTH_DIR / "testdata" / "progressing_database_unavailable.yaml")
    for condition in obj["status"]["conditions"]:
        condition.pop("message", None)
    assert run_health(obj) == {"status": "Progressing", "message": "DatabaseUnavailable"}


def test_argocd_cm_snippet_carries_health_lua_verbatim() -> None:
    (configmap,) = load_docs(ARGOCD_CM)
    assert configmap["kind"] == "ConfigMap"
    assert configmap["metadata"]["name"] == "argocd-cm"
    assert configmap["data"][CM_KEY] == HEALTH_LUA.read_text(encoding="utf-8")


def test_no_status_the_reconciler_leaves_reads_healthy_before_its_run_is_done(
        pg18: PgServer, tmp_path: Path) -> None:
    """A run writes no Progressing status for a new object or a new generation (issue 18 §2):
    what Argo CD reads before and during such a run is the status the previous run left,
    which must not read Healthy for the new generation. Only an SQL change under the same
    generation gets the early write, which must read Progressing."""
    from db_migrate.reconciler.reconcile import reconcile
    from tests.operator.fakekube import FakeKube, merge_patch
    from tests.operator.test_reconcile_flow import (
        ALLOWED,
        NAME,
        NS,
        SECRET,
        V1,
        V2,
        Events,
        settings,
        spec,
    )

    kube = FakeKube(NS, NAME, spec())
    kube.obj["status"] = {"observedGeneration": -1}  # the CRD's default
    kube.put_configmap("shop-sql", V1)
    kube.put_secret(SECRET, {"url": pg18.create_database("argo")}, labels=ALLOWED)
    conf = settings(tmp_path)

    def health() -> str:
        return str(run_health(kube.obj)["status"])

    def run() -> list[dict[str, Any]]:
        written = len(kube.patches)
        before = dict(kube.obj["status"])
        reconcile(kube.resource(), kube, conf, Events())
        # The status as Argo CD saw it after each write of the run, in order.
        seen, states = before, []
        for patch in kube.patches[written:]:
            seen = merge_patch(seen, patch)
            states.append({**kube.obj, "status": seen})
        return states

    assert health() == "Progressing"  # created, not run yet
    first = run()
    assert len(first) == 1 and health() == "Healthy"

    kube.put_configmap("shop-sql", V2)
    kube.update_spec(targetVersion=2)  # a new generation: the old status stays until the run
    assert health() == "Progressing"
    changed = run()
    assert len(changed) == 1 and health() == "Healthy"

    # New SQL under the same generation (a ConfigMap edited in place; spec.targetVersion 2
    # holds V3 back, but the digest of what the resource reads changed).
    kube.put_configmap("shop-sql", {**V2, "V3__c.sql": "CREATE TABLE c (id int);"})
    assert health() == "Healthy"  # the operator has not seen the ConfigMap change yet
    sql_changed = run()
    assert [run_health(state)["status"] for state in sql_changed] == ["Progressing", "Healthy"]
