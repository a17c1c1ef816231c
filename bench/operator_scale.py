"""The operator with many resources created at once (issue 11): ``operator_bench.py --scale N``.

One PostgreSQL, one database (``scale``); every resource is its own small application: its own
ConfigMap of ``--files`` migrations that create tables in its own schema, its own history table
(so its own advisory lock: nothing serialises two resources), and a shared Secret. The
ConfigMaps, the database and the Secret exist before the clock starts; then N
DatabaseMigrations are created at once (16 client threads) and a watch started before the
first create records when each becomes Ready.

Reported: total seconds to all Ready, p50/p95 create-to-Ready, operator RSS when half and all
were Ready and after settling, its peak (VmHWM), the operator's peak PostgreSQL connections
(pg_stat_activity sampled every 0.2 s), and the operator's CPU seconds.
"""

from __future__ import annotations

import collections
import contextlib
import datetime as dt
import json
import signal
import statistics
import subprocess
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Protocol, cast

import psycopg
from kubernetes import client, watch

from testkit.apiwrites import WriteCounter

GROUP, VERSION, PLURAL = "migrations.es1.dev", "v1alpha1", "databasemigrations"


class BenchLike(Protocol):
    ns: str
    #: The counting proxy the operator reaches the API server through (--count-writes).
    counter: WriteCounter | None
    core: client.CoreV1Api
    custom: client.CustomObjectsApi
    pg: Any

    def database(self, name: str) -> str: ...

    def secret(self, name: str, url: str) -> None: ...

    def create(self, name: str, secret: str, history: str = ..., configmap: str = ...) -> None: ...

    def rss_mib(self) -> float: ...

    def peak_rss_mib(self) -> float: ...

    def cpu_seconds(self) -> float: ...

    def sockets(self) -> int: ...

    def close(self) -> None: ...

    def signal(self, signo: int) -> None: ...


def migrations(schema: str, files: int) -> dict[str, str]:
    """A small application's migration set, in its own schema."""
    out = {"V1__schema.sql": f"CREATE SCHEMA IF NOT EXISTS {schema};\n"}
    for v in range(2, files + 1):
        out[f"V{v}__t{v}.sql"] = (
            f"CREATE TABLE {schema}.t{v} (id int PRIMARY KEY, v text);\n"
            f"CREATE INDEX t{v}_v ON {schema}.t{v} (v);\n"
            f"INSERT INTO {schema}.t{v} VALUES (1, 'a'), (2, 'b');\n")
    return out


def _ready(obj: dict[str, Any]) -> bool:
    conds = (obj.get("status") or {}).get("conditions") or []
    gen = obj["metadata"].get("generation")
    return any(c["type"] == "Ready" and c["status"] == "True" and c.get("observedGeneration") == gen
               for c in conds)


class Watcher(threading.Thread):
    """Records the first time each resource is seen Ready; started before the first create."""

    def __init__(self, bench: BenchLike, expected: set[str]) -> None:
        super().__init__(daemon=True)
        self.bench = bench
        self.expected = expected
        self.ready_at: dict[str, float] = {}
        self.stalled: list[str] = []
        listed = cast(dict[str, Any], bench.custom.list_namespaced_custom_object(
            GROUP, VERSION, bench.ns, PLURAL))
        self.version = listed["metadata"]["resourceVersion"]
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            w = watch.Watch()  # type: ignore[no-untyped-call]
            try:
                for event in w.stream(  # type: ignore[no-untyped-call]
                        self.bench.custom.list_namespaced_custom_object, GROUP, VERSION,
                        self.bench.ns, PLURAL, resource_version=self.version, timeout_seconds=60):
                    obj: dict[str, Any] = event["object"]
                    self.version = obj["metadata"]["resourceVersion"]
                    name = obj["metadata"]["name"]
                    conds = (obj.get("status") or {}).get("conditions") or []
                    if any(c["type"] == "Stalled" and c["status"] == "True" for c in conds):
                        self.stalled.append(name)
                    if _ready(obj) and name not in self.ready_at:
                        self.ready_at[name] = time.monotonic()
                        if self.expected <= self.ready_at.keys():
                            self.done.set()
                            w.stop()  # type: ignore[no-untyped-call]
                            return
            except Exception as exc:  # a dropped watch: resume from the last version seen
                print(f"watch restarted: {type(exc).__name__}", flush=True)


class Sampler(threading.Thread):
    """Every 0.2 s: operator RSS, its PostgreSQL connections, how many are Ready, and the
    operator's open sockets."""

    def __init__(self, bench: BenchLike, watcher: Watcher) -> None:
        super().__init__(daemon=True)
        self.bench = bench
        self.watcher = watcher
        self.rows: list[tuple[float, float, int, int, int]] = []
        self.stop = threading.Event()

    def run(self) -> None:
        with psycopg.connect(self.bench.pg.admin_url, autocommit=True) as conn:
            while not self.stop.is_set():
                row = conn.execute(
                    "SELECT count(*) FROM pg_stat_activity "
                    "WHERE application_name LIKE 'db-migrate-operator%'").fetchone()
                self.rows.append((time.monotonic(), self.bench.rss_mib(),
                                  int(row[0]) if row else 0, len(self.watcher.ready_at),
                                  self.bench.sockets()))
                time.sleep(0.2)

    def rss_when(self, ready: int) -> float:
        return next((rss for _, rss, _, count, _ in self.rows if count >= ready), float("nan"))


def _commit() -> str:
    """The checkout's commit, "+dirty" if the operator's code has uncommitted changes."""
    root = Path(__file__).resolve().parent.parent
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=root, check=True,
                              capture_output=True, text=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "operator/"], cwd=root,
                               check=True, capture_output=True, text=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return head + ("+dirty" if dirty else "")


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def writes_per_resource(counter: WriteCounter, namespace: str, names: set[str]) -> dict[str, Any]:
    """The operator's API writes about each resource (status patches, object patches, Events)
    since the start: their distribution, and what they were."""
    counts, kinds = [], collections.Counter[str]()
    patches: collections.Counter[str] = collections.Counter()
    for name in names:
        writes = counter.about(namespace, PLURAL, name)
        counts.append(len(writes))
        # What the object patches set (annotation names, not values).
        patches.update(",".join(sorted(json.loads(w.body or "{}").get("metadata", {})
                                       .get("annotations", {}))) or w.body[:80]
                       for w in writes if w.method == "PATCH" and not w.path.endswith("/status"))
        kinds.update(f"{w.method} {'Event' if w.path.endswith('/events') else 'status' if w.path.endswith('/status') else 'object'}"
                     f"{'' if 200 <= w.status < 300 else f' ({w.status})'}" for w in writes)
    return {"mean": statistics.mean(counts), "min": min(counts), "max": max(counts),
            "total": sum(counts), "by_kind": dict(kinds.most_common()),
            "object_patches": dict(patches.most_common())}


def run(make_bench: Callable[..., BenchLike], n: int, files: int, env: dict[str, str],
        results_dir: Path, workdir: Path, timeout: float = 1800,
        count_writes: bool = False) -> dict[str, Any]:
    bench = make_bench(workdir, namespaced=True, env=env, count_writes=count_writes)
    results: dict[str, Any] = {
        "date": dt.datetime.now(dt.UTC).isoformat(), "resources": n, "files_per_resource": files,
        "layout": "one PostgreSQL, one database; a schema, history table and ConfigMap per "
                  "resource; one shared Secret",
        "operator_env": env, "started_rss_mib": bench.rss_mib(), "commit": _commit(),
    }
    try:
        bench.secret("scale", bench.database("scale"))
        with ThreadPoolExecutor(16) as pool:
            list(pool.map(lambda i: bench.core.create_namespaced_config_map(
                bench.ns, client.V1ConfigMap(metadata=client.V1ObjectMeta(name=f"sql-r{i}"),
                                             data=migrations(f"r{i}", files))), range(n)))
        names = {f"r{i}" for i in range(n)}
        watcher = Watcher(bench, names)
        watcher.start()
        sampler = Sampler(bench, watcher)
        sampler.start()
        created_at: dict[str, float] = {}

        def create(i: int) -> None:
            created_at[f"r{i}"] = time.monotonic()
            bench.create(f"r{i}", "scale", history=f"_hist_r{i}", configmap=f"sql-r{i}")

        cpu0, started = bench.cpu_seconds(), time.monotonic()
        with ThreadPoolExecutor(16) as pool:
            list(pool.map(create, range(n)))
        created = time.monotonic() - started
        print(f"created {n} in {created:.1f} s", flush=True)
        while not watcher.done.wait(5):
            print(f"{len(watcher.ready_at)}/{n} Ready after {time.monotonic() - started:.0f} s,"
                  f" {bench.rss_mib():.0f} MiB", flush=True)
            if watcher.stalled:
                raise RuntimeError(f"Stalled: {watcher.stalled[:5]}")
            if time.monotonic() - started > timeout:
                raise RuntimeError(f"not all Ready after {timeout} s")
        total = max(watcher.ready_at.values()) - started
        cpu = bench.cpu_seconds() - cpu0
        latencies = [watcher.ready_at[k] - created_at[k] for k in names]
        time.sleep(10)  # settle: kopf's last patches and events
        sampler.stop.set()
        sampler.join()
        results.update({
            "create_seconds": created,
            "total_seconds": total,
            "create_to_ready_s": {"p50": statistics.median(latencies),
                                  "p95": _percentile(latencies, 0.95), "max": max(latencies)},
            "rss_mib": {"half_ready": sampler.rss_when(n // 2), "all_ready": sampler.rss_when(n),
                        "settled": bench.rss_mib(), "peak": bench.peak_rss_mib()},
            "peak_operator_pg_connections": max(r[2] for r in sampler.rows),
            # Open sockets (API server and PostgreSQL connections, listeners): each TLS
            # connection to the API server holds its own buffers.
            "peak_operator_sockets": max(r[4] for r in sampler.rows),
            "operator_cpu_seconds": cpu,
        })
        if bench.counter is not None:
            results["api_writes_per_resource"] = writes_per_resource(bench.counter, bench.ns, names)
        print(json.dumps({k: v for k, v in results.items() if k != "date"}, indent=1), flush=True)
        if env.get("DB_MIGRATE_TRACEMALLOC"):
            # The operator writes where its Python memory is held (operator/memdebug.py).
            dump = Path(env["DB_MIGRATE_TRACEMALLOC"])
            dump.unlink(missing_ok=True)
            bench.signal(signal.SIGUSR1)
            deadline = time.monotonic() + 600  # a snapshot of a large heap takes minutes
            while not dump.exists() and time.monotonic() < deadline:
                time.sleep(2)
            print(Path(env["DB_MIGRATE_TRACEMALLOC"]).read_text()[:6000], flush=True)
    finally:
        bench.close()
        cleanup(bench, n)
        out = results_dir / f"operator-scale-{dt.datetime.now(dt.UTC):%Y%m%dT%H%M%SZ}.json"
        out.parent.mkdir(exist_ok=True)
        out.write_text(json.dumps(results, indent=2) + "\n")
        print(f"results: {out}")
    return results


def cleanup(bench: BenchLike, n: int) -> None:
    """Delete the run's objects, so the next run's API server does not carry them (namespaces
    never finish deleting without a controller-manager). The operator is stopped by now: a
    finalizer (kopf added one while the drift check was a kopf timer) is removed here."""
    def delete(i: int) -> None:
        with contextlib.suppress(Exception):
            bench.custom.patch_namespaced_custom_object(
                GROUP, VERSION, bench.ns, PLURAL, f"r{i}", {"metadata": {"finalizers": None}})
            bench.custom.delete_namespaced_custom_object(GROUP, VERSION, bench.ns, PLURAL, f"r{i}")
    with ThreadPoolExecutor(16) as pool:
        list(pool.map(delete, range(n)))
    with contextlib.suppress(Exception):
        bench.core.delete_collection_namespaced_config_map(bench.ns)
