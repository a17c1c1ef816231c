"""Sharded replicas, a smoke run of issue 18 §3 (not its full scale): ``python bench/shards_smoke.py``.

R operator processes (default 3) share N DatabaseMigrations (default 90), each on its own
database, reading one migrations ConfigMap. Measured:

* create: all N created at once; seconds until all are Ready; each replica's share
  (``db_migrate_shard_resources``), RSS and CPU seconds; peak operator connections;
* rollout with a replica lost: a new migration is added to the ConfigMap and one replica is
  killed (-9) a second later; seconds until all N report the new version, and until the last of
  the killed replica's share does; then each database's side-effect rows (one per file: a file
  applied twice would leave two), Stalled resources, and Ready transitions per resource
  (a watch counts Ready True -> False flips; the rollout itself flips each once).

Everything on loopback, as bench/operator_bench.py: the local control plane, an embedded
PostgreSQL, the operators as processes under deploy/'s ServiceAccount. Results:
bench/results/shards-smoke-*.json.
"""

from __future__ import annotations

import argparse
import collections
import datetime as dt
import json
import os
import re
import signal
import sys
import tempfile
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import psycopg
from kubernetes import client, watch
from psycopg import sql

from db_migrate.cli import embedded
from testkit import controlplane, operator_process
from testkit.operator_process import OperatorProcess

BENCH = Path(__file__).resolve().parent
GROUP, VERSION, PLURAL = "migrations.es1.dev", "v1alpha1", "databasemigrations"
V1 = {"V1__one.sql": "CREATE TABLE side_effects (version text); INSERT INTO side_effects VALUES ('V1');"}
V2 = {"V2__two.sql": "INSERT INTO side_effects VALUES ('V2'); SELECT pg_sleep(0.05);"}


def condition(obj: dict[str, Any], ctype: str) -> dict[str, Any]:
    conds = (obj.get("status") or {}).get("conditions") or []
    return next((c for c in conds if c["type"] == ctype), {})


def ready_at(obj: dict[str, Any], version: str) -> bool:
    c = condition(obj, "Ready")
    return c.get("status") == "True" and c.get("observedGeneration") == obj["metadata"]["generation"] \
        and (obj.get("status") or {}).get("currentVersion") == version


class Observer(threading.Thread):
    """A watch from before the first create: when each resource first reaches a version, its
    Ready True -> False flips, and whether any was ever Stalled."""

    def __init__(self, custom: client.CustomObjectsApi, ns: str) -> None:
        super().__init__(daemon=True)
        self.custom, self.ns = custom, ns
        self.reached: dict[str, dict[str, float]] = collections.defaultdict(dict)
        self.flips: collections.Counter[str] = collections.Counter()
        self.stalled: set[str] = set()
        self._ready: dict[str, bool] = {}
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            w = watch.Watch()  # type: ignore[no-untyped-call]
            for event in w.stream(  # type: ignore[no-untyped-call]
                    self.custom.list_namespaced_custom_object, GROUP, VERSION, self.ns, PLURAL,
                    timeout_seconds=30):
                obj: dict[str, Any] = event["object"]
                name = obj["metadata"]["name"]
                is_ready = condition(obj, "Ready").get("status") == "True"
                if self._ready.get(name) and not is_ready:
                    self.flips[name] += 1
                self._ready[name] = is_ready
                if condition(obj, "Stalled").get("status") == "True":
                    self.stalled.add(name)
                for version in ("1", "2"):
                    if ready_at(obj, version) and version not in self.reached[name]:
                        self.reached[name][version] = time.monotonic()
                if self.stop.is_set():
                    w.stop()  # type: ignore[no-untyped-call]
                    break

    def wait(self, names: set[str], version: str, timeout: float) -> float:
        started = time.monotonic()
        while any(version not in self.reached[n] for n in names):
            if time.monotonic() > started + timeout:
                missing = sorted(n for n in names if version not in self.reached[n])
                raise RuntimeError(f"V{version} not reached after {timeout} s: {missing[:5]}")
            time.sleep(0.1)
        return max(self.reached[n][version] for n in names)


def scrape(op: OperatorProcess) -> str:
    with urllib.request.urlopen(f"http://127.0.0.1:{op.metrics_port}/metrics", timeout=5) as r:
        return str(r.read().decode())


def gauge(op: OperatorProcess, name: str) -> float:
    match = re.search(rf"^{name} (\S+)$", scrape(op), re.M)
    return float(match.group(1)) if match else float("nan")


def owned(op: OperatorProcess, ns: str) -> set[str]:
    """Resources with a db_migrate_runs_total series on this replica (only its owner has one)."""
    names = set()
    for labels in re.findall(r"^db_migrate_runs_total\{([^}]*)\}", scrape(op), re.M):
        found = dict(re.findall(r'(\w+)="([^"]*)"', labels))
        if found.get("namespace") == ns:
            names.add(found["name"])
    return names


def proc(op: OperatorProcess, field: str) -> float:
    for line in Path(f"/proc/{op.process.pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def cpu_seconds(op: OperatorProcess) -> float:
    fields = Path(f"/proc/{op.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--replicas", type=int, default=3)
    parser.add_argument("--resources", type=int, default=90)
    parser.add_argument("--lease", type=float, default=10.0)
    parser.add_argument("--renew", type=float, default=2.0)
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args(argv)
    workdir = Path(tempfile.mkdtemp(prefix="shards-smoke-"))
    plane = controlplane.up()
    api = plane.api_client()
    core, custom = client.CoreV1Api(api), client.CustomObjectsApi(api)
    pg = embedded.start(workdir / "pg", keep_running=True)
    operator_process.install(plane)
    ns = f"shards-{int(time.time())}"
    core.create_namespace(client.V1Namespace(metadata=client.V1ObjectMeta(name=ns)))
    env = {"DB_MIGRATE_NAMESPACES": ns, "DB_MIGRATE_DRIFT_INTERVAL": "3600",
           "DB_MIGRATE_WORKERS": str(args.workers), "DB_MIGRATE_LEASE_DURATION": str(args.lease),
           "DB_MIGRATE_LEASE_RENEW": str(args.renew)}
    ops = {f"r{i}": operator_process.start(plane, workdir / f"r{i}", name=f"r{i}",
                                           env={**env, "POD_NAME": f"{ns}-r{i}"})
           for i in range(args.replicas)}
    result: dict[str, Any] = {"when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                              "replicas": args.replicas, "resources": args.resources,
                              "lease_s": args.lease, "renew_s": args.renew, "workers": args.workers}
    observer = Observer(custom, ns)
    try:
        deadline = time.monotonic() + 3 * args.lease
        while any(gauge(op, "db_migrate_shard_members") != args.replicas for op in ops.values()):
            if time.monotonic() > deadline:
                raise RuntimeError("the replicas never saw each other")
            time.sleep(0.3)
        core.create_namespaced_config_map(ns, client.V1ConfigMap(
            metadata=client.V1ObjectMeta(name="sql"), data=V1))
        names = {f"m{i:04d}" for i in range(args.resources)}
        with psycopg.connect(pg.admin_url, autocommit=True) as conn:
            for name in sorted(names):
                conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
                conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        for name in sorted(names):
            core.create_namespaced_secret(ns, client.V1Secret(
                metadata=client.V1ObjectMeta(name=name, labels={"migrations.es1.dev/allow": "true"}),
                string_data={"url": pg.url(name)}))
        observer.start()
        time.sleep(1)

        def create(name: str) -> None:
            custom.create_namespaced_custom_object(GROUP, VERSION, ns, PLURAL, {
                "apiVersion": f"{GROUP}/{VERSION}", "kind": "DatabaseMigration",
                "metadata": {"name": name},
                "spec": {"database": "bench", "seed": "none",
                         "connection": {"urlSecretRef": {"name": name}},
                         "source": {"configMaps": {"migrations": {"names": ["sql"]}}}}})

        started = time.monotonic()
        with ThreadPoolExecutor(16) as pool:
            list(pool.map(create, sorted(names)))
        result["create_all_ready_s"] = round(observer.wait(names, "1", 600) - started, 1)
        time.sleep(args.renew + 1)
        shares = {r: owned(op, ns) for r, op in ops.items()}
        result["share"] = {r: len(s) for r, s in shares.items()}
        result["share_gauge"] = {r: gauge(op, "db_migrate_shard_resources") for r, op in ops.items()}
        result["overlapping_owners"] = sum(
            1 for n in names if sum(n in s for s in shares.values()) != 1)
        result["rss_mib"] = {r: round(proc(op, "VmRSS"), 1) for r, op in ops.items()}
        result["peak_rss_mib"] = {r: round(proc(op, "VmHWM"), 1) for r, op in ops.items()}
        result["cpu_s_after_create"] = {r: round(cpu_seconds(op), 1) for r, op in ops.items()}

        victim = max(shares, key=lambda r: len(shares[r]))
        core.patch_namespaced_config_map("sql", ns, {"data": {**V1, **V2}})
        edited = time.monotonic()
        time.sleep(1)
        ops[victim].process.send_signal(signal.SIGKILL)
        killed = time.monotonic()
        ops[victim].process.wait(timeout=10)
        last = observer.wait(names, "2", 600)
        victim_last = max(observer.reached[n]["2"] for n in shares[victim])
        result["rollout_all_s"] = round(last - edited, 1)
        result["killed"] = victim
        result["killed_share_after_kill_s"] = round(victim_last - killed, 1)
        survivors = {r: op for r, op in ops.items() if r != victim}
        time.sleep(args.renew + 1)
        result["survivor_share_after"] = {r: gauge(op, "db_migrate_shard_resources")
                                          for r, op in survivors.items()}
        doubles = []
        for name in sorted(names):
            with psycopg.connect(pg.url(name)) as conn:
                rows = [r[0] for r in conn.execute("SELECT version FROM side_effects ORDER BY 1")]
            if rows != ["V1", "V2"]:
                doubles.append((name, rows))
        result["side_effect_mismatches"] = doubles
        result["stalled"] = sorted(observer.stalled)
        flips = observer.flips
        result["ready_false_flips_max"] = max(flips.values(), default=0)
        result["ready_false_flips_total"] = sum(flips.values())
        result["cpu_s_total"] = {r: round(cpu_seconds(op), 1) for r, op in survivors.items()}
    finally:
        observer.stop.set()
        for op in ops.values():
            op.stop()
        pid = (pg.data_dir / "postmaster.pid").read_text().splitlines()[0]
        os.kill(int(pid), signal.SIGINT)
    out = BENCH / "results" / f"shards-smoke-{dt.datetime.now(dt.UTC):%Y%m%dT%H%M%SZ}.json"
    out.write_text(json.dumps(result, indent=1) + "\n")
    print(json.dumps(result, indent=1))
    print(f"-> {out.relative_to(BENCH.parent)}", file=sys.stderr)
    return 0 if not result["side_effect_mismatches"] and not result["stalled"] \
        and not result["overlapping_owners"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
