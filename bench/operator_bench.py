"""Operator figures on the local control plane (issue 5, "Operator figures").

    python bench/operator_bench.py            # latency x20, throughput 100, memory 500, idle 60 s
    python bench/operator_bench.py --quick    # latency x5, throughput 10, memory 20, idle 10 s
    python bench/operator_bench.py --memory 50 --memory 200   # RSS only, for deploy/'s limits
    python bench/operator_bench.py --scale 1000 [--files 5] [--operator-env K=V ...]
                                              # N created at once (bench/operator_scale.py)
    python bench/operator_bench.py --scale 50 --count-writes
                                              # and the operator's API writes per resource

* latency: from the create call of a resource with 10 migrations to Ready=True (watch), p50/p95;
* throughput: N resources created at once, each with its own database, until all are Ready;
* memory: operator RSS with M Ready resources;
* idle cost: operator CPU seconds over an idle window and database connections it holds.

Everything runs on loopback: the local kube-apiserver, an embedded PostgreSQL, the operator
as a process under deploy/'s ServiceAccount. Results go to bench/results/operator-*.json.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import signal
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, cast

import psycopg
from kubernetes import client, watch
from psycopg import sql

from db_migrate.cli import embedded
from testkit import controlplane, operator_process

BENCH = Path(__file__).resolve().parent
GROUP, VERSION, PLURAL = "migrations.es1.dev", "v1alpha1", "databasemigrations"
MIGRATIONS = {
    f"V{v}__t{v}.sql": f"CREATE TABLE IF NOT EXISTS t{v} (id int PRIMARY KEY, v text);\n"
    f"CREATE INDEX IF NOT EXISTS t{v}_v ON t{v} (v);\n"
    f"INSERT INTO t{v} VALUES (1, 'a'), (2, 'b') ON CONFLICT DO NOTHING;\n"
    for v in range(1, 11)
}


def ready(obj: dict[str, Any]) -> bool:
    conds = (obj.get("status") or {}).get("conditions") or []
    gen = obj["metadata"].get("generation")
    return any(
        c["type"] == "Ready" and c["status"] == "True" and c.get("observedGeneration") == gen for c in conds
    )


class Bench:
    def __init__(self, workdir: Path, *, namespaced: bool = False,
                 env: dict[str, str] | None = None, count_writes: bool = False) -> None:
        self.plane = controlplane.up()
        # The operator reaches the API server through a proxy that records its writes.
        self.counter = operator_process.write_counter(self.plane) if count_writes else None
        self.api = self.plane.api_client()
        self.core = client.CoreV1Api(self.api)
        self.custom = client.CustomObjectsApi(self.api)
        self.pg = embedded.start(workdir / "pg", keep_running=True)
        operator_process.install(self.plane)
        self.ns = f"bench-{int(time.time())}"
        self.core.create_namespace(client.V1Namespace(metadata=client.V1ObjectMeta(name=self.ns)))
        # Namespaced: the operator then holds exactly the bench's resources, not those that
        # earlier runs left in the cluster (namespaces never finish deleting without a
        # controller-manager).
        op_env = {"DB_MIGRATE_DRIFT_INTERVAL": "3600", **(env or {})}
        if namespaced:
            op_env["DB_MIGRATE_NAMESPACES"] = self.ns
        self.op = operator_process.start(self.plane, workdir / "op", env=op_env, via=self.counter)
        self.core.create_namespaced_config_map(
            self.ns, client.V1ConfigMap(metadata=client.V1ObjectMeta(name="sql"), data=MIGRATIONS)
        )

    def database(self, name: str) -> str:
        with psycopg.connect(self.pg.admin_url, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        return self.pg.url(name)

    def secret(self, name: str, url: str) -> None:
        self.core.create_namespaced_secret(
            self.ns, client.V1Secret(metadata=client.V1ObjectMeta(
                name=name, labels={"migrations.es1.dev/allow": "true"}), string_data={"url": url})
        )

    def create(self, name: str, secret: str, history: str = "_schema_migrations",
               configmap: str = "sql") -> None:
        body = {
            "apiVersion": f"{GROUP}/{VERSION}",
            "kind": "DatabaseMigration",
            "metadata": {"name": name},
            "spec": {
                "database": "bench",
                "seed": "none",
                "connection": {"urlSecretRef": {"name": secret}},
                "historyTable": {"name": history},
                "source": {"configMaps": {"migrations": {"names": [configmap]}}},
            },
        }
        self.custom.create_namespaced_custom_object(GROUP, VERSION, self.ns, PLURAL, body)

    def wait_ready(self, names: set[str], timeout: float = 600) -> float:
        """Seconds until every named resource is Ready, observed through a watch."""
        started = time.monotonic()
        pending = set(names)
        listed = cast(dict[str, Any],
                      self.custom.list_namespaced_custom_object(GROUP, VERSION, self.ns, PLURAL))
        pending -= {o["metadata"]["name"] for o in listed["items"] if ready(o)}
        if not pending:
            return time.monotonic() - started
        w = watch.Watch()  # type: ignore[no-untyped-call]
        for event in w.stream(  # type: ignore[no-untyped-call]
            self.custom.list_namespaced_custom_object,
            GROUP,
            VERSION,
            self.ns,
            PLURAL,
            resource_version=listed["metadata"]["resourceVersion"],
            timeout_seconds=int(timeout),
        ):
            obj: dict[str, Any] = event["object"]
            conds = (obj.get("status") or {}).get("conditions") or []
            stalled = [c for c in conds if c["type"] == "Stalled" and c["status"] == "True"]
            if stalled:
                raise RuntimeError(f"{obj['metadata']['name']} is Stalled: {stalled[0]['message']}")
            if ready(obj):
                pending.discard(obj["metadata"]["name"])
            if not pending:
                w.stop()  # type: ignore[no-untyped-call]
                break
        if pending:
            raise RuntimeError(f"not Ready after {timeout} s: {sorted(pending)[:5]}")
        return time.monotonic() - started

    def rss_mib(self) -> float:
        for line in Path(f"/proc/{self.op.process.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        return float("nan")

    def peak_rss_mib(self) -> float:
        for line in Path(f"/proc/{self.op.process.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
        return float("nan")

    def cpu_seconds(self) -> float:
        fields = Path(f"/proc/{self.op.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def operator_connections(self) -> int:
        with psycopg.connect(self.pg.admin_url) as conn:
            row = conn.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE application_name LIKE 'db-migrate-operator%'"
            ).fetchone()
        return int(row[0]) if row else 0

    def sockets(self) -> int:
        fds = Path(f"/proc/{self.op.process.pid}/fd")
        count = 0
        for fd in fds.iterdir():
            with contextlib.suppress(OSError):  # closed while we looked
                count += os.readlink(fd).startswith("socket:")
        return count

    def signal(self, signo: int) -> None:
        self.op.process.send_signal(signo)

    def close(self) -> None:
        self.op.stop()
        if self.counter is not None:
            self.counter.stop()
        # The bench's own PostgreSQL: SIGINT is a fast shutdown.
        pid = (self.pg.data_dir / "postmaster.pid").read_text().splitlines()[0]
        os.kill(int(pid), signal.SIGINT)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--quick", action="store_true")
    p.add_argument("--memory", type=int, action="append", default=[],
                   help="only measure RSS: idle and peak with this many Ready resources (repeatable)")
    p.add_argument("--scale", type=int, metavar="N",
                   help="N resources created at once, each its own schema and history table in "
                        "one database (bench/operator_scale.py)")
    p.add_argument("--files", type=int, default=5, help="migrations per resource for --scale")
    p.add_argument("--operator-env", action="append", default=[], metavar="KEY=VALUE",
                   help="extra environment for the operator process (repeatable)")
    p.add_argument("--count-writes", action="store_true",
                   help="with --scale: count the operator's API writes per resource "
                        "(testkit/apiwrites.py, a counting proxy in front of the API server)")
    args = p.parse_args(argv)
    env = dict(kv.split("=", 1) for kv in args.operator_env)
    if args.scale:
        import operator_scale  # bench/ is on sys.path when this file runs as a script

        operator_scale.run(Bench, args.scale, args.files, env, BENCH / "results",
                           Path(tempfile.mkdtemp(prefix="dbm-opscale-")),
                           count_writes=args.count_writes)
        return 0
    if args.memory:
        return memory(sorted(args.memory), env)
    runs, burst, many, idle = (5, 10, 20, 10) if args.quick else (20, 100, 500, 60)
    bench = Bench(Path(tempfile.mkdtemp(prefix="dbm-opbench-")))
    results: dict[str, Any] = {"date": dt.datetime.now(dt.UTC).isoformat(), "quick": args.quick}
    try:
        latencies = []
        for i in range(runs):
            bench.secret(f"lat{i}", bench.database(f"lat{i}"))
            started = time.monotonic()
            bench.create(f"lat{i}", f"lat{i}")
            bench.wait_ready({f"lat{i}"})
            latencies.append(time.monotonic() - started)
            print(f"latency run {i + 1}/{runs}: {latencies[-1]:.3f} s", flush=True)
        results["latency_s"] = {
            "runs": runs,
            "p50": statistics.median(latencies),
            "p95": percentile(latencies, 0.95),
            "all": latencies,
        }

        for i in range(burst):
            bench.secret(f"tp{i}", bench.database(f"tp{i}"))
        started = time.monotonic()
        for i in range(burst):
            bench.create(f"tp{i}", f"tp{i}")
        bench.wait_ready({f"tp{i}" for i in range(burst)})
        results["throughput"] = {"resources": burst, "seconds": time.monotonic() - started}
        print(f"throughput: {burst} resources Ready in {results['throughput']['seconds']:.1f} s")

        # Many resources on one database and history table (cheap to create): the advisory
        # lock serialises them and all but the first find everything applied.
        bench.secret("shared", bench.database("shared"))
        for i in range(many - runs - burst):
            bench.create(f"m{i}", "shared")
        bench.wait_ready({f"m{i}" for i in range(many - runs - burst)}, timeout=1800)
        time.sleep(5)
        results["memory"] = {"resources_ready": many, "rss_mib": bench.rss_mib()}
        print(f"memory: {bench.rss_mib():.1f} MiB RSS with {many} Ready resources")

        cpu0 = bench.cpu_seconds()
        time.sleep(idle)
        cpu = bench.cpu_seconds() - cpu0
        results["idle"] = {
            "seconds": idle,
            "cpu_seconds": cpu,
            "cpu_percent": 100 * cpu / idle,
            "db_connections": bench.operator_connections(),
        }
        print(f"idle: {cpu:.2f} CPU s over {idle} s, {results['idle']['db_connections']} DB connections")
    finally:
        bench.close()
    out = (
        BENCH / "results" / f"operator-{'quick-' if args.quick else ''}"
        f"{dt.datetime.now(dt.UTC):%Y%m%dT%H%M%SZ}.json"
    )
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n")
    print(f"results: {out}")
    return 0


def memory(counts: list[int], env: dict[str, str] | None = None, idle_s: float = 30.0) -> int:
    """Operator RSS for deploy/'s requests and limits: right after start, then with each count
    of Ready resources (one database and history table: the lock serialises them), idle ``idle_s``
    (sampled every second: the mean and the maximum), and the peak (VmHWM) so far."""
    bench = Bench(Path(tempfile.mkdtemp(prefix="dbm-opmem-")), namespaced=True, env=env)
    results: dict[str, Any] = {"date": dt.datetime.now(dt.UTC).isoformat(), "operator_env": env or {},
                               "started_rss_mib": bench.rss_mib(), "counts": []}
    print(f"started: {results['started_rss_mib']:.1f} MiB RSS", flush=True)
    try:
        bench.secret("shared", bench.database("shared"))
        made = 0
        for count in counts:
            for i in range(made, count):
                bench.create(f"m{i}", "shared")
            made = count
            bench.wait_ready({f"m{i}" for i in range(count)}, timeout=1800)
            samples = []
            for _ in range(int(idle_s)):
                time.sleep(1)
                samples.append(bench.rss_mib())
            row = {"resources": count, "idle_mean_mib": statistics.mean(samples),
                   "idle_max_mib": max(samples), "peak_mib": bench.peak_rss_mib()}
            results["counts"].append(row)
            print(f"{count} Ready: idle {row['idle_mean_mib']:.1f} MiB (max {row['idle_max_mib']:.1f}),"
                  f" peak {row['peak_mib']:.1f} MiB", flush=True)
    finally:
        bench.close()
        # Written even if a later count fails: the earlier rows are still measurements.
        out = BENCH / "results" / f"operator-memory-{dt.datetime.now(dt.UTC):%Y%m%dT%H%M%SZ}.json"
        out.parent.mkdir(exist_ok=True)
        out.write_text(json.dumps(results, indent=2) + "\n")
        print(f"results: {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
