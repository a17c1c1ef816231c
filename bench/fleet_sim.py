"""10,000 resources by simulation (issue 18 §3): the reconciler against an in-memory fake Kube
and a real PostgreSQL, no API server and no kopf.

    python bench/fleet_sim.py                       # 10,000 resources over 1,000 databases
    python bench/fleet_sim.py --resources 500 --databases 50

The reconciler (``reconciler/reconcile.py``, what one replica runs for each resource) is driven
from a pool of ``--workers`` threads (``DB_MIGRATE_WORKERS``) over ``tests/operator/fakekube.py``'s
:class:`FakeFleet`: one namespace holding N DatabaseMigrations, one Secret per database and one
ConfigMap of ``--files`` side-effecting migrations. Resource i uses database i mod D, and the
resources of one database share its history table (so its migration lock), as in
``bench/fleet.py scale``. Three rounds, each over every resource in a shuffled order:

1. create: each resource's first run (per database, one run applies the files, the others find
   them applied);
2. rollout: a file added to the ConfigMap, every resource runs again;
3. drift: a drift check of every resource (nothing to apply: the steady-state cost).

Per round: wall seconds, runs per second, this process's CPU seconds per run, the PostgreSQL
server's CPU seconds per run, status writes and conflicts. Memory: RSS before the resources
exist, with them (empty status), and after each round; the status document's size per
resource; the Prometheus series this process holds. These are the reconciler's costs only: the
operator adds kopf's watch and queue and the API server's round trips (docs/scale.md compares
with bench/fleet.py's figures). Results: ``bench/results/fleet-sim-<N>-<UTC time>.json``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import shutil
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path
from typing import Any

from benchkit import fleetkit
from benchkit.fleetkit import FIRST_FILE, side_effect_file
from prometheus_client import REGISTRY

from db_migrate.reconciler.reconcile import Next, reconcile
from db_migrate.reconciler.settings import Settings
from testkit import pgserver
from tests.operator.fakekube import FakeFleet

BENCH = Path(__file__).resolve().parent
NS = "sim"


class Events:
    def __init__(self) -> None:
        self.normal_count = 0
        self.warning_count = 0
        self._lock = threading.Lock()

    def normal(self, reason: str, message: str) -> None:
        with self._lock:
            self.normal_count += 1

    def warning(self, reason: str, message: str) -> None:
        with self._lock:
            self.warning_count += 1


def pg_cpu_s(server: pgserver.PgServer) -> float:
    return fleetkit.postgres_cpu_s(server.pgdata)


def series_count() -> int:
    return sum(len(list(m.samples)) for m in REGISTRY.collect() if m.name.startswith("db_migrate"))


def round_(name: str, fleet: FakeFleet, names: list[str], settings: Settings, events: Events,
           server: pgserver.PgServer, workers: int, drift: bool = False) -> dict[str, Any]:
    order = list(names)
    random.Random(name).shuffle(order)
    outcomes: dict[str, int] = {}
    lock = threading.Lock()

    def one(resource: str) -> None:
        result = reconcile(fleet.resource(resource), fleet.kube(), settings, events, drift_check=drift)
        with lock:
            outcomes[result.next.value] = outcomes.get(result.next.value, 0) + 1
            if result.next is not Next.DONE and outcomes[result.next.value] <= 3:
                print(f"  {resource}: {result.next.value}: {result.message}"[:300], flush=True)

    writes0, conflicts0 = fleet.writes, fleet.conflicts
    cpu0, pg0, wall0 = time.process_time(), pg_cpu_s(server), time.monotonic()
    with ThreadPoolExecutor(workers) as pool:
        list(pool.map(one, order))
    wall = time.monotonic() - wall0
    cpu, pg = time.process_time() - cpu0, pg_cpu_s(server) - pg0
    out = {"runs": len(order), "wall_s": round(wall, 1), "runs_per_s": round(len(order) / wall, 1),
           "cpu_ms_per_run": round(1000 * cpu / len(order), 2),
           "postgres_cpu_ms_per_run": round(1000 * pg / len(order), 2),
           "status_writes": fleet.writes - writes0, "conflicts": fleet.conflicts - conflicts0,
           "outcomes": outcomes, "rss_mib_after": fleetkit.proc_stats(os.getpid())["rss_mib"],
           "load_average_after": fleetkit.loadavg()}
    print(f"{name}: {json.dumps(out)}", flush=True)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--resources", type=int, default=10_000)
    parser.add_argument("--databases", type=int, default=1_000)
    parser.add_argument("--files", type=int, default=3)
    parser.add_argument("--workers", type=int, default=8)
    args = parser.parse_args(argv)
    me = os.getpid()
    result: dict[str, Any] = {
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), "commit": fleetkit.commit(),
        "machine": "2 cores, shared", "resources": args.resources, "databases": args.databases,
        "files": args.files, "workers": args.workers, "load_average_at_start": fleetkit.loadavg(),
        "rss_mib_at_start": fleetkit.proc_stats(me)["rss_mib"]}
    root = Path(tempfile.mkdtemp(prefix="fleet-sim-"))
    server = pgserver.PgServer(root / "pg", settings={"max_connections": "100"}, locale="C")
    try:
        server.start()
        dbs = [f"d{i:04d}" for i in range(args.databases)]
        started = time.monotonic()

        def create(db: str) -> None:
            with server.connect() as conn:
                conn.execute(f'CREATE DATABASE "{db}"')
        with ThreadPoolExecutor(4) as pool:
            list(pool.map(create, dbs))
        result["create_databases_s"] = round(time.monotonic() - started, 1)
        fleet = FakeFleet(NS)
        for db in dbs:
            fleet.put_secret(db, {"url": server.url(db)}, labels={"migrations.es1.dev/allow": "true"})
        files = {"V1__one.sql": FIRST_FILE}
        files.update({f"V{v}__f{v}.sql": side_effect_file(f"V{v}__f{v}.sql", 0.0)
                      for v in range(2, args.files + 1)})
        fleet.put_configmap("sql", files)
        names = [f"m{i:05d}" for i in range(args.resources)]
        rss0 = fleetkit.proc_stats(me)["rss_mib"]
        for i, name in enumerate(names):
            fleet.add(name, {"database": "bench", "seed": "none",
                             "connection": {"urlSecretRef": {"name": dbs[i % len(dbs)]}},
                             "source": {"configMaps": {"migrations": {"names": ["sql"]}}}})
        result["rss_mib_resources_empty"] = fleetkit.proc_stats(me)["rss_mib"]
        result["fake_objects_kib_per_resource"] = round(
            1024 * (result["rss_mib_resources_empty"] - rss0) / len(names), 2)
        tmp = root / "empty"
        settings = Settings(migrations_dir=tmp / "migrations", seeds_dir=tmp / "seeds",
                            drift_interval_s=300.0, workers=args.workers, retry_base_s=5.0,
                            retry_max_s=300.0, metrics_port=0, liveness_port=0,
                            application_name="db-migrate-operator/sim", image_root=tmp)
        settings = replace(settings)
        events = Events()
        result["create"] = round_("create", fleet, names, settings, events, server, args.workers)
        files[f"V{args.files + 1}__new.sql"] = side_effect_file(f"V{args.files + 1}__new.sql", 0.0)
        fleet.put_configmap("sql", files)
        result["rollout"] = round_("rollout", fleet, names, settings, events, server, args.workers)
        result["drift"] = round_("drift", fleet, names, settings, events, server, args.workers,
                                 drift=True)
        sizes = [len(json.dumps(fleet.objects[n]["status"])) for n in names]
        result["status_bytes_per_resource"] = round(sum(sizes) / len(sizes))
        result["prometheus_series"] = series_count()
        result["prometheus_series_per_resource"] = round(result["prometheus_series"] / len(names), 1)
        result["events"] = {"normal": events.normal_count, "warning": events.warning_count}
        result["rss_mib_at_end"] = fleetkit.proc_stats(me)["rss_mib"]
        result["peak_rss_mib"] = fleetkit.proc_stats(me)["peak_rss_mib"]
        result["rss_kib_per_resource_after_runs"] = round(
            1024 * (result["rss_mib_at_end"] - rss0) / len(names), 2)
        result["not_ready"] = sum(1 for n in names if not fleet.resource(n).ready())
        with server.connect(dbs[0]) as conn:
            result["side_effect_rows_db0"] = [str(r[0]) for r in conn.execute(
                "SELECT file FROM side_effects ORDER BY at")]
        result["load_average_at_end"] = fleetkit.loadavg()
        # Before the cleanup: deleting a thousand databases' files takes minutes.
        out = BENCH / "results" / f"fleet-sim-{args.resources}-{dt.datetime.now(dt.UTC):%Y%m%dT%H%M%SZ}.json"
        out.write_text(json.dumps(result, indent=1) + "\n")
        print(json.dumps(result, indent=1))
        print(f"-> {out.relative_to(BENCH.parent)}", flush=True)
    finally:
        # Throw-away data: no shutdown checkpoint (a thousand databases' took over 60 s).
        server.stop("immediate")
        server.remove()
        shutil.rmtree(root, ignore_errors=True)
    return 0 if result["not_ready"] == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
