"""What the fleet benchmarks share (issue 18 §3): a namespace of DatabaseMigrations served by
several operator processes on the local control plane, one PostgreSQL server with many
databases, and the instruments that watch them.

* :class:`Fleet`: the control plane, the PostgreSQL server (TCP on loopback, so that each
  operator connection's client port tells which replica opened it), the operator processes
  (killed or stopped one by one), databases, Secrets, ConfigMaps and DatabaseMigrations.
* :class:`Observer`: one watch from before the first create; when each resource first reports
  each version, its Ready transitions, whether it was ever Stalled, and the Ready count over
  time (for the plots).
* :class:`PgSampler`: every ``interval`` seconds, each replica's PostgreSQL connections
  (``pg_stat_activity`` joined with the replicas' sockets) and, per database, the sessions that
  hold an advisory lock (a migration run holds its history table's lock for its whole run).
* :func:`proc_stats`, :func:`gauge`, :func:`owned`, :func:`loadavg`, :func:`commit`.
"""

from __future__ import annotations

import collections
import contextlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import psycopg
from kubernetes import client, watch
from psycopg import sql

from testkit import controlplane, operator_process, pgserver
from testkit.operator_process import OperatorProcess

GROUP, VERSION, PLURAL = "migrations.es1.dev", "v1alpha1", "databasemigrations"
ROOT = Path(__file__).resolve().parents[2]


# ---------------------------------------------------------------------- status reading

def condition(obj: Mapping[str, Any], ctype: str) -> dict[str, Any]:
    conds = (obj.get("status") or {}).get("conditions") or []
    return next((dict(c) for c in conds if c["type"] == ctype), {})


def ready_at(obj: Mapping[str, Any], version: str) -> bool:
    """Ready for its generation and reporting ``version``."""
    c = condition(obj, "Ready")
    return c.get("status") == "True" and c.get("observedGeneration") == obj["metadata"]["generation"] \
        and (obj.get("status") or {}).get("currentVersion") == version


class Observer(threading.Thread):
    """A watch from before the first create (resumed from the last resourceVersion if the
    server ends it): when each resource first reports each version, its Ready transitions
    (True -> not True, and back), whether it was ever Stalled, and the number of resources at
    each version over time."""

    def __init__(self, custom: client.CustomObjectsApi, ns: str, versions: Iterable[str]) -> None:
        super().__init__(daemon=True)
        self.custom, self.ns = custom, ns
        self.versions = tuple(versions)
        self.reached: dict[str, dict[str, float]] = collections.defaultdict(dict)
        #: Ready True -> not True, per resource.
        self.ready_lost: collections.Counter[str] = collections.Counter()
        #: Every change of the Ready condition's status, per resource (None -> True counts).
        self.transitions: collections.Counter[str] = collections.Counter()
        self.stalled: dict[str, str] = {}
        self.events = 0
        #: Per resource, each change of Ready: (monotonic time, status, reason, currentVersion).
        self.history: dict[str, list[tuple[float, str, str, str]]] = collections.defaultdict(list)
        self._ready: dict[str, str] = {}
        self.stop = threading.Event()
        listed = cast(dict[str, Any], custom.list_namespaced_custom_object(GROUP, VERSION, ns, PLURAL))
        self._rv = str(listed["metadata"]["resourceVersion"])

    def run(self) -> None:
        while not self.stop.is_set():
            w = watch.Watch()  # type: ignore[no-untyped-call]
            try:
                for event in w.stream(  # type: ignore[no-untyped-call]
                        self.custom.list_namespaced_custom_object, GROUP, VERSION, self.ns, PLURAL,
                        resource_version=self._rv, timeout_seconds=120):
                    self._see(event["object"])
                    if self.stop.is_set():
                        w.stop()  # type: ignore[no-untyped-call]
                        break
            except Exception as exc:  # a dropped watch: resume from the last version seen
                print(f"observer: watch restarted ({type(exc).__name__}: {exc})"[:200], flush=True)
                time.sleep(0.5)

    def _see(self, obj: dict[str, Any]) -> None:
        now = time.monotonic()
        self.events += 1
        self._rv = str(obj["metadata"]["resourceVersion"])
        name = obj["metadata"]["name"]
        ready = str(condition(obj, "Ready").get("status", ""))
        before = self._ready.get(name)
        if before != ready and (before is not None or ready == "True"):
            self.transitions[name] += 1
            self.history[name].append((now, ready, str(condition(obj, "Ready").get("reason", "")),
                                       str((obj.get("status") or {}).get("currentVersion", ""))))
            if before == "True":
                self.ready_lost[name] += 1
        self._ready[name] = ready
        stalled = condition(obj, "Stalled")
        if stalled.get("status") == "True":
            self.stalled.setdefault(name, f"{stalled.get('reason')}: {stalled.get('message')}"[:300])
        for version in self.versions:
            if version not in self.reached[name] and ready_at(obj, version):
                self.reached[name][version] = now

    def count(self, version: str) -> int:
        return sum(1 for r in list(self.reached.values()) if version in r)

    def wait(self, names: set[str], version: str, timeout: float, started: float,
             progress_every: float = 10.0) -> float:
        """The monotonic time the last of ``names`` reported ``version``."""
        shown = time.monotonic()
        while any(version not in self.reached[n] for n in names):
            now = time.monotonic()
            if now > started + timeout:
                missing = sorted(n for n in names if version not in self.reached[n])
                raise RuntimeError(f"V{version} not reached by {len(missing)} after {timeout} s: "
                                   f"{missing[:5]}")
            if now - shown >= progress_every:
                shown = now
                print(f"  {sum(version in self.reached[n] for n in names)}/{len(names)} at V{version} "
                      f"after {now - started:.0f} s", flush=True)
            time.sleep(0.1)
        return max(self.reached[n][version] for n in names)

    def curve(self, names: Iterable[str], version: str, since: float) -> list[float]:
        """Seconds after ``since`` at which each resource reported ``version``, sorted."""
        return sorted(round(self.reached[n][version] - since, 2) for n in names
                      if version in self.reached[n])


# ---------------------------------------------------------------------- processes

def proc_stats(pid: int) -> dict[str, float]:
    """RSS and peak RSS (MiB) and CPU seconds (user + system) of a live process."""
    out = {"rss_mib": float("nan"), "peak_rss_mib": float("nan"), "cpu_s": float("nan")}
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                out["rss_mib"] = round(int(line.split()[1]) / 1024, 1)
            elif line.startswith("VmHWM:"):
                out["peak_rss_mib"] = round(int(line.split()[1]) / 1024, 1)
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        out["cpu_s"] = round((int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK"), 2)
    return out


def postgres_cpu_s(pgdata: Path) -> float:
    """A PostgreSQL server's CPU seconds: the postmaster's own and its exited children's (the
    backends of closed connections), plus the live children's."""
    pid = int((pgdata / "postmaster.pid").read_text().split()[0])

    def stat(p: int) -> list[str]:
        return Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()

    total = sum(int(x) for x in stat(pid)[11:15])
    for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split():
        with contextlib.suppress(OSError):
            total += sum(int(x) for x in stat(int(child))[11:13])
    return total / os.sysconf("SC_CLK_TCK")


def loadavg() -> list[float]:
    return [float(x) for x in Path("/proc/loadavg").read_text().split()[:3]]


def commit() -> str:
    """The checkout's commit, "+dirty" if the operator's code has uncommitted changes."""
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, check=True,
                              capture_output=True, text=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "operator/"], cwd=ROOT,
                               check=True, capture_output=True, text=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return head + ("+dirty" if dirty else "")


def scrape(op: OperatorProcess) -> str:
    with urllib.request.urlopen(f"http://127.0.0.1:{op.metrics_port}/metrics", timeout=10) as r:
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


def _socket_inodes(pid: int) -> set[str]:
    inodes = set()
    with contextlib.suppress(OSError):
        for fd in Path(f"/proc/{pid}/fd").iterdir():
            with contextlib.suppress(OSError):
                target = os.readlink(fd)
                if target.startswith("socket:["):
                    inodes.add(target[8:-1])
    return inodes


def _tcp_ports_by_inode() -> dict[str, tuple[int, int, str]]:
    """inode -> (local port, remote port, state) of every TCP socket in this network namespace."""
    out = {}
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with contextlib.suppress(OSError):
            for line in Path(table).read_text().splitlines()[1:]:
                parts = line.split()
                out[parts[9]] = (int(parts[1].rsplit(":", 1)[1], 16),
                                 int(parts[2].rsplit(":", 1)[1], 16), parts[3])
    return out


# ---------------------------------------------------------------------- PostgreSQL sampling

SAMPLE_SQL = """
SELECT a.client_port, a.datname,
       EXISTS (SELECT 1 FROM pg_locks l WHERE l.pid = a.pid AND l.locktype = 'advisory' AND l.granted)
FROM pg_stat_activity a
WHERE a.application_name LIKE 'db-migrate-operator%' AND a.backend_type = 'client backend'
"""


class PgSampler(threading.Thread):
    """Every ``interval`` s: each replica's operator connections, and per database the operator
    sessions holding an advisory lock (the migration lock: a run holds it from its first read of
    the history table to its end) and those connected without it (waiting for it, or before
    and after it)."""

    def __init__(self, admin: psycopg.Connection[Any], pids: Mapping[str, int], pg_port: int,
                 interval: float = 0.1) -> None:
        super().__init__(daemon=True)
        self.conn, self.pids, self.interval = admin, dict(pids), interval
        self.pg_port = pg_port
        #: Client side: each replica's most established TCP sockets to PostgreSQL at once.
        self.max_sockets: collections.Counter[str] = collections.Counter()
        self.samples = 0
        self.max_connections: collections.Counter[str] = collections.Counter()
        self.max_total = 0
        #: Most operator sessions holding an advisory lock on one database at one instant.
        self.max_lock_holders_per_db = 0
        self.lock_holder_violations: list[tuple[float, str, int]] = []
        #: Samples where a session on a database waited while another held its lock.
        self.contended_samples = 0
        self.unattributed = 0
        #: (monotonic time, connections per replica, lock holders in all) for the plots.
        self.series: list[tuple[float, dict[str, int], int]] = []
        self.stop = threading.Event()

    def forget(self, replica: str) -> None:
        self.pids.pop(replica, None)

    def run(self) -> None:
        while not self.stop.is_set():
            started = time.monotonic()
            try:
                self._sample(started)
            except Exception as exc:  # keep sampling: a replica may be gone mid-read
                print(f"sampler: {type(exc).__name__}: {exc}"[:200], flush=True)
            self.stop.wait(max(0.0, self.interval - (time.monotonic() - started)))

    def _ports(self) -> dict[int, str]:
        ports = _tcp_ports_by_inode()
        out = {}
        for replica, pid in list(self.pids.items()):
            to_pg = 0
            for inode in _socket_inodes(pid):
                if inode in ports:
                    local, remote, state = ports[inode]
                    out[local] = replica
                    to_pg += remote == self.pg_port and state == "01"  # ESTABLISHED
            self.max_sockets[replica] = max(self.max_sockets[replica], to_pg)
        return out

    def _sample(self, now: float) -> None:
        # The replicas' sockets before and after the query: a connection opened or closed
        # while it ran is still attributed.
        port_owner = self._ports()
        rows = self.conn.execute(SAMPLE_SQL).fetchall()
        port_owner.update(self._ports())
        per_replica: collections.Counter[str] = collections.Counter()
        holders: collections.Counter[str] = collections.Counter()
        connected: collections.Counter[str] = collections.Counter()
        for port, datname, holds in rows:
            who = port_owner.get(int(port or -1))
            if who is None:
                self.unattributed += 1
            else:
                per_replica[who] += 1
            connected[datname] += 1
            if holds:
                holders[datname] += 1
        self.samples += 1
        for replica, count in per_replica.items():
            self.max_connections[replica] = max(self.max_connections[replica], count)
        self.max_total = max(self.max_total, len(rows))
        most = max(holders.values(), default=0)
        self.max_lock_holders_per_db = max(self.max_lock_holders_per_db, most)
        for db, count in holders.items():
            if count > 1:
                self.lock_holder_violations.append((now, db, count))
            if connected[db] > count:
                self.contended_samples += 1
        self.series.append((now, dict(per_replica), sum(holders.values())))


# ---------------------------------------------------------------------- the fleet

@dataclass
class Fleet:
    """The control plane, one PostgreSQL server, a namespace and R operator processes.

    Use as a context manager: everything it started is stopped on exit (the PostgreSQL data
    is deleted; the control plane stays up, as for the other benchmarks and the tests)."""

    workdir: Path
    replicas: int = 3
    env: dict[str, str] = field(default_factory=dict)
    pg_settings: dict[str, str] = field(default_factory=lambda: {"max_connections": "300"})
    ops: dict[str, OperatorProcess] = field(default_factory=dict, init=False)

    def __enter__(self) -> Fleet:
        self.plane = controlplane.up()
        api = self.plane.api_client()
        self.core, self.custom = client.CoreV1Api(api), client.CustomObjectsApi(api)
        self.pg = pgserver.PgServer(self.workdir / "pg", settings=self.pg_settings, locale="C")
        shutil.rmtree(self.pg.root, ignore_errors=True)
        self.pg.start()
        self.admin = self.pg.connect()
        operator_process.install(self.plane)
        self.ns = f"fleet-{int(time.time())}"
        self.core.create_namespace(client.V1Namespace(metadata=client.V1ObjectMeta(name=self.ns)))
        return self

    def start_operators(self, lease: float = 10.0, renew: float = 2.0,
                        extra: Mapping[str, Mapping[str, str]] | None = None) -> None:
        """Start the replicas (``extra``: more environment for some, by name: r0, r1, ...)."""
        env = {"DB_MIGRATE_NAMESPACES": self.ns, "DB_MIGRATE_DRIFT_INTERVAL": "3600",
               "DB_MIGRATE_LEASE_DURATION": str(lease), "DB_MIGRATE_LEASE_RENEW": str(renew),
               **self.env}
        for i in range(self.replicas):
            name = f"r{i}"
            self.ops[name] = operator_process.start(
                self.plane, self.workdir / name, name=name,
                env={**env, "POD_NAME": f"{self.ns}-{name}", **(extra or {}).get(name, {})})
        deadline = time.monotonic() + 3 * lease
        while any(gauge(op, "db_migrate_shard_members") != self.replicas for op in self.ops.values()):
            if time.monotonic() > deadline:
                raise RuntimeError("the replicas never saw each other")
            time.sleep(0.3)

    def pids(self) -> dict[str, int]:
        return {r: op.process.pid for r, op in self.ops.items()}

    def kill(self, replica: str) -> None:
        op = self.ops[replica]
        op.process.send_signal(signal.SIGKILL)
        op.process.wait(timeout=10)

    def cpu(self) -> dict[str, float]:
        """CPU seconds so far of every process the fleet's work runs on: the replicas, the API
        server, etcd and PostgreSQL."""
        out = {r: proc_stats(op.process.pid)["cpu_s"] for r, op in self.ops.items()
               if op.process.poll() is None}
        with contextlib.suppress(OSError, ValueError, KeyError):
            state = json.loads((controlplane.layout().cluster / "state.json").read_text())
            for name in ("kube-apiserver", "etcd"):
                out[name] = proc_stats(int(state["processes"][name]["pid"]))["cpu_s"]
        out["postgres"] = round(postgres_cpu_s(self.pg.pgdata), 2)
        return out

    @staticmethod
    def cpu_delta(before: Mapping[str, float], after: Mapping[str, float]) -> dict[str, float]:
        return {k: round(after[k] - before[k], 1) for k in after if k in before}

    def stats(self) -> dict[str, dict[str, float]]:
        return {r: proc_stats(op.process.pid) for r, op in self.ops.items() if op.process.poll() is None}

    def databases(self, names: Iterable[str], threads: int = 4) -> None:
        def create(name: str) -> None:
            with self.pg.connect() as conn:
                conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
                conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        with ThreadPoolExecutor(threads) as pool:
            list(pool.map(create, sorted(names)))

    def secrets(self, urls: Mapping[str, str]) -> None:
        def create(item: tuple[str, str]) -> None:
            self.core.create_namespaced_secret(self.ns, client.V1Secret(
                metadata=client.V1ObjectMeta(name=item[0], labels={"migrations.es1.dev/allow": "true"}),
                string_data={"url": item[1]}))
        with ThreadPoolExecutor(8) as pool:
            list(pool.map(create, sorted(urls.items())))

    def configmap(self, name: str, data: Mapping[str, str]) -> None:
        self.core.create_namespaced_config_map(self.ns, client.V1ConfigMap(
            metadata=client.V1ObjectMeta(name=name), data=dict(data)))

    def patch_configmap(self, name: str, data: Mapping[str, str]) -> None:
        self.core.patch_namespaced_config_map(name, self.ns, {"data": dict(data)})

    def create(self, resources: Mapping[str, str], configmap: str = "sql", threads: int = 16) -> None:
        """DatabaseMigrations, name -> Secret name, all reading ``configmap``."""
        def one(item: tuple[str, str]) -> None:
            self.custom.create_namespaced_custom_object(GROUP, VERSION, self.ns, PLURAL, {
                "apiVersion": f"{GROUP}/{VERSION}", "kind": "DatabaseMigration",
                "metadata": {"name": item[0]},
                "spec": {"database": "bench", "seed": "none",
                         "connection": {"urlSecretRef": {"name": item[1]}},
                         "source": {"configMaps": {"migrations": {"names": [configmap]}}}}})
        with ThreadPoolExecutor(threads) as pool:
            list(pool.map(one, sorted(resources.items())))

    def side_effects(self, database: str) -> list[str]:
        """The files that left a row in ``database``'s side-effect table, in order."""
        with self.pg.connect(database) as conn:
            return [str(r[0]) for r in conn.execute("SELECT file FROM side_effects ORDER BY at, file")]

    def __exit__(self, *exc: object) -> None:
        for op in self.ops.values():
            op.stop()
        with contextlib.suppress(Exception):
            self.admin.close()
        # Throw-away data: no shutdown checkpoint (a thousand databases' can take over 60 s).
        with contextlib.suppress(Exception):
            self.pg.stop("immediate")
        self.pg.remove()
        # The namespace's objects go, so that the next run's API server does not carry them
        # (a namespace never finishes deleting without a controller-manager).
        with contextlib.suppress(Exception):
            self.custom.delete_collection_namespaced_custom_object(GROUP, VERSION, self.ns, PLURAL)
        with contextlib.suppress(Exception):
            self.core.delete_collection_namespaced_config_map(self.ns)
        with contextlib.suppress(Exception):
            self.core.delete_collection_namespaced_secret(self.ns)


def side_effect_file(name: str, sleep_s: float = 0.02) -> str:
    """A migration that records itself: one row per application (a file applied twice leaves two),
    with the time it started and ended in the database."""
    return (f"INSERT INTO side_effects (file, at) VALUES ('{name}', clock_timestamp());\n"
            f"SELECT pg_sleep({sleep_s});\n"
            f"UPDATE side_effects SET done = clock_timestamp() WHERE file = '{name}' AND done IS NULL;\n")


FIRST_FILE = ("CREATE TABLE side_effects (file text NOT NULL, at timestamptz NOT NULL, done timestamptz);\n"
              + side_effect_file("V1__one.sql"))


class Profiler:
    """``py-spy record`` on one replica (``pip install py-spy``): collapsed stacks while it runs,
    then the functions with the most samples, self and inclusive."""

    def __init__(self, pid: int, out: Path, rate: int = 50) -> None:
        self.out = out
        self.process = subprocess.Popen(
            [shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy")), "record", "--pid", str(pid), "--rate", str(rate), "--nonblocking",
             "--threads", "--format", "raw", "--output", str(out)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def stop(self) -> dict[str, Any]:
        self.process.send_signal(signal.SIGINT)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=60)
        return summarize_stacks(self.out)


def summarize_stacks(path: Path, top: int = 25) -> dict[str, Any]:
    """Self and inclusive sample counts per function from py-spy's collapsed stacks; idle
    threads (waiting in select, a lock, a queue or a sleep) are counted apart."""
    own: collections.Counter[str] = collections.Counter()
    inclusive: collections.Counter[str] = collections.Counter()
    package: collections.Counter[str] = collections.Counter()
    total = idle = 0
    idle_leaf = re.compile(r"^(wait|select|poll|_wait_for_tstate_lock|sleep|get|_worker|"
                           r"run_forever|_run_once|epoll|acquire|accept|serve_forever|readinto|recv_into)\b")
    with contextlib.suppress(OSError):
        for line in path.read_text().splitlines():
            stack, _, count_text = line.rpartition(" ")
            if not stack or not count_text.isdigit():
                continue
            count = int(count_text)
            frames = [f for f in stack.split(";") if not f.startswith(("thread (", "process "))]
            if not frames:
                continue
            total += count
            leaf = frames[-1].split(" (")[0].rsplit(".", 1)[-1]
            if idle_leaf.match(leaf):
                idle += count
                continue
            own[frames[-1]] += count
            where = frames[-1].rpartition(" (")[2].split("/")
            package[where[0] if len(where) > 1 else where[0].split(".")[0].split(":")[0]] += count
            for frame in set(frames):
                inclusive[frame] += count
    busy = max(1, total - idle)
    return {"samples": total, "idle_samples": idle,
            "self_percent_by_package": [(p, round(100 * c / busy, 1)) for p, c in package.most_common(15)],
            "self_percent_of_busy": [(f, round(100 * c / busy, 1)) for f, c in own.most_common(top)],
            "inclusive_percent_of_busy": [(f, round(100 * c / busy, 1))
                                          for f, c in inclusive.most_common(top)]}
