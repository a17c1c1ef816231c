"""A rolling update of the operator's Deployment with work in flight (issue 18 §3), on the local
node (``scripts/cluster up --node``, docs/node.md): ``python bench/fleet_node.py``.

The operator as it ships (deploy/overlays/local: 2 replicas sharing the work on Leases, the
image built from this checkout), PostgreSQL as a Pod (deploy/dev-databases/postgres.yaml) with
``--databases`` databases, and ``--resources`` DatabaseMigrations (resource i on database i mod
D; a database's resources share its history table) reading one ConfigMap. Once all report V1:
``kubectl rollout restart`` of the Deployment, and 2 s later a file V2 added to the ConfigMap,
so that replicas stop, start and hand resources over while the rollout is applied. Measured:
the seconds until the Deployment's rollout is complete and until all resources report V2;
Stalled resources (target: none); Ready transitions per resource; each file's side-effect rows
per database (one each); the operator Pods' restarts.

The node runs in a dev dir of its own under /tmp (its own control plane too) and is stopped at
the end. Results: ``bench/results/fleet-node-<N>-<UTC time>.json``.
"""

from __future__ import annotations

import argparse
import collections
import datetime as dt
import hashlib
import json
import os
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from benchkit import fleetkit
from benchkit.fleetkit import FIRST_FILE, GROUP, PLURAL, VERSION, Observer, side_effect_file
from kubernetes import client

from testkit import demo, images, node
from tests.e2e.cluster import ROOT, NodeCluster

BENCH = Path(__file__).resolve().parent
OPERATOR_NS = "db-migrate-system"
DEPLOYMENT = "deploy/db-migrate-operator"
PASSWORD = "dev-only-not-a-real-password"  # deploy/dev-databases' DEV ONLY placeholder


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--resources", type=int, default=500)
    parser.add_argument("--databases", type=int, default=50)
    parser.add_argument("--timeout", type=float, default=900)
    parser.add_argument("--keep", action="store_true", help="leave the node up")
    args = parser.parse_args(argv)
    dev = Path(f"/tmp/dbm-fleet-{hashlib.sha256(str(ROOT).encode()).hexdigest()[:6]}")
    result: dict[str, Any] = {
        "scenario": "rolling update", "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "commit": fleetkit.commit(), "machine": "2 cores, shared", "resources": args.resources,
        "databases": args.databases, "load_average_at_start": fleetkit.loadavg()}
    steps: list[tuple[str, float]] = []
    began = time.monotonic()

    def step(what: str) -> None:
        steps.append((what, round(time.monotonic() - began, 1)))
        print(f"[{steps[-1][1]:7.1f} s] {what}", flush=True)

    session = os.getpid()
    ok = False
    try:
        step("node up")
        local = node.up(dev=dev, session=session)
        step("images")
        # Under the names deploy/overlays/local and deploy/dev-databases give them, as the demo
        # pushes them; the kubelet pulls them from the node's registry.
        for name in ("operator", "postgres"):
            images.ensure(name)
            local.push_image(name, demo.PUSHED[name])
        cluster = NodeCluster(local.plane)
        api = local.plane.api_client()
        core, custom = client.CoreV1Api(api), client.CustomObjectsApi(api)
        step("operator installed")
        cluster.kubectl("apply", "-k", str(ROOT / "deploy" / "overlays" / "local"))
        cluster.kubectl("-n", OPERATOR_NS, "rollout", "status", DEPLOYMENT, "--timeout=300s", timeout=320)
        ws = cluster.workspace("fleet")
        ws("apply", "-f", str(ROOT / "deploy" / "dev-databases" / "postgres.yaml"))
        ws("wait", "--for=condition=Available", "deploy/postgres", "--timeout=300s", timeout=320)
        step("postgres Pod available")
        dbs = [f"d{i:03d}" for i in range(args.databases)]
        ws("exec", "-i", "deploy/postgres", "--", "psql", "-U", "es1", "-d", "es1", "-v", "ON_ERROR_STOP=1",
           "-q", input="".join(f"CREATE DATABASE {db};\n" for db in dbs), timeout=600)
        step("databases created")

        def secret(db: str) -> None:
            core.create_namespaced_secret(ws.namespace, client.V1Secret(
                metadata=client.V1ObjectMeta(name=db, labels={"migrations.es1.dev/allow": "true"}),
                string_data={"url": f"postgresql://es1:{PASSWORD}@postgres:5432/{db}"}))
        with ThreadPoolExecutor(8) as pool:
            list(pool.map(secret, dbs))
        v1 = {"V1__one.sql": FIRST_FILE}
        core.create_namespaced_config_map(ws.namespace, client.V1ConfigMap(
            metadata=client.V1ObjectMeta(name="sql"), data=v1))
        observer = Observer(custom, ws.namespace, ["1", "2"])
        observer.start()
        names = {f"m{i:04d}": dbs[i % len(dbs)] for i in range(args.resources)}

        def create(item: tuple[str, str]) -> None:
            custom.create_namespaced_custom_object(GROUP, VERSION, ws.namespace, PLURAL, {
                "apiVersion": f"{GROUP}/{VERSION}", "kind": "DatabaseMigration",
                "metadata": {"name": item[0]},
                "spec": {"database": "bench", "seed": "none",
                         "connection": {"urlSecretRef": {"name": item[1]}},
                         "source": {"configMaps": {"migrations": {"names": ["sql"]}}}}})
        step("creating")
        started = time.monotonic()
        with ThreadPoolExecutor(16) as pool:
            list(pool.map(create, sorted(names.items())))
        result["create_all_ready_s"] = round(observer.wait(set(names), "1", args.timeout, started) - started, 1)
        step(f"all {len(names)} at V1")
        before = collections.Counter(observer.transitions)
        result["load_average_before_update"] = fleetkit.loadavg()
        pods_before = cluster.kubectl("-n", OPERATOR_NS, "get", "pods", "-o", "name").stdout.split()
        restarted = time.monotonic()
        cluster.kubectl("-n", OPERATOR_NS, "rollout", "restart", DEPLOYMENT)
        time.sleep(2)
        core.patch_namespaced_config_map("sql", ws.namespace, {"data": {
            **v1, "V2__two.sql": side_effect_file("V2__two.sql")}})
        edited = time.monotonic()
        step("rollout restart, then V2 added")
        cluster.kubectl("-n", OPERATOR_NS, "rollout", "status", DEPLOYMENT, "--timeout=600s", timeout=620)
        result["rollout_complete_s"] = round(time.monotonic() - restarted, 1)
        step("Deployment rolled")
        done = observer.wait(set(names), "2", args.timeout, edited)
        result["all_v2_s_after_edit"] = round(done - edited, 1)
        result["all_v2_s_after_restart"] = round(done - restarted, 1)
        result["curve_s"] = observer.curve(names, "2", restarted)
        step("all at V2")
        time.sleep(5)
        counts = [observer.transitions[n] - before[n] for n in names]
        result["ready_transitions"] = {"max": max(counts), "histogram": {
            str(k): v for k, v in sorted(collections.Counter(counts).items())}}
        result["stalled"] = sorted(observer.stalled.items())[:20]
        result["stalled_count"] = len(observer.stalled)
        pods = json.loads(cluster.kubectl("-n", OPERATOR_NS, "get", "pods", "-o", "json").stdout)["items"]
        result["operator_pods"] = {
            "before": pods_before,
            "after": [{"name": p["metadata"]["name"],
                       "restarts": sum(c.get("restartCount", 0)
                                       for c in p["status"].get("containerStatuses") or [])}
                      for p in pods if not p["metadata"].get("deletionTimestamp")]}
        mismatches = []
        for db in dbs:
            rows = ws("exec", "deploy/postgres", "--", "psql", "-U", "es1", "-d", db, "-Atc",
                      "SELECT file FROM side_effects ORDER BY at").split()
            if rows != ["V1__one.sql", "V2__two.sql"]:
                mismatches.append((db, rows))
        result["side_effect_mismatches"] = mismatches[:20]
        result["side_effect_mismatch_count"] = len(mismatches)
        logs = cluster.kubectl("-n", OPERATOR_NS, "logs", "-l", "app.kubernetes.io/component=operator",
                               "--tail=-1", check=False).stdout
        result["operator_log_tracebacks"] = logs.count("Traceback")
        result["load_average_at_end"] = fleetkit.loadavg()
        ok = not observer.stalled and not mismatches
    except BaseException as exc:
        result["error"] = f"{type(exc).__name__}: {exc}"[:2000]
        raise
    finally:
        result["ok"] = ok
        result["steps"] = steps
        if not args.keep:
            node.release(session, stop=True, dev=dev)
        out = BENCH / "results" / f"fleet-node-{args.resources}-{dt.datetime.now(dt.UTC):%Y%m%dT%H%M%SZ}.json"
        out.write_text(json.dumps(result, indent=1) + "\n")
        print(json.dumps({k: v for k, v in result.items() if k != "curve_s"}, indent=1))
        print(f"-> {out.relative_to(BENCH.parent)}", file=sys.stderr)
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
