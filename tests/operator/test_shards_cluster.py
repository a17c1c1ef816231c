"""Replicas share the work, through the real API server (issue 18 §1): two operator processes
and 20 resources, each reconciled by exactly one; one replica killed (-9), its resources picked
up by the other within about one Lease duration, no file applied twice."""

from __future__ import annotations

import collections
import json
import re
import signal
import time
from pathlib import Path

import psycopg

from db_migrate.reconciler.shards import key_text, owner
from testkit import operator_process
from testkit.controlplane import ControlPlane
from testkit.operator_process import OperatorProcess
from tests.operator.conftest import FAST, Kubectl, configmap, dbm, secret
from tests.operator.recovery import ready
from tests.pgservers import PgServer

RESOURCES = 20
LEASE_NAMESPACE = "db-migrate-system"
#: Shorter than the default 10 s / 2 s so the test is quick; the hand-off bound scales with it.
LEASE_S, RENEW_S = 6, 1
#: One side-effect row per file applied: a file applied twice would leave two.
FILES = {"V1__one.sql": "CREATE TABLE side_effects (version text); "
                        "INSERT INTO side_effects VALUES ('V1');"}
V2 = "INSERT INTO side_effects VALUES ('V2');"


def reconciled(op: OperatorProcess) -> collections.Counter[str]:
    """Resource name -> how many times this replica's kopf ran the reconcile handler for it
    (DB_MIGRATE_LOG_FORMAT=json: every line is an object, a resource's lines name it)."""
    counts: collections.Counter[str] = collections.Counter()
    for line in op.logs().splitlines():
        if not line.startswith("{"):
            continue
        record = json.loads(line)
        if record.get("message") == "Handler 'reconcile_handler' succeeded.":
            counts[record["object"]["name"]] += 1
    return counts


def runs_series(op: OperatorProcess, namespace: str) -> set[str]:
    """Resources with a db_migrate_runs_total series on this replica."""
    pattern = re.compile(r'^db_migrate_runs_total\{([^}]*)\}', re.M)
    names = set()
    for labels in pattern.findall(op.metrics()):
        found = dict(re.findall(r'(\w+)="([^"]*)"', labels))
        if found.get("namespace") == namespace:
            names.add(found["name"])
    return names


def gauge(op: OperatorProcess, name: str) -> float:
    match = re.search(rf"^{name} (\S+)$", op.metrics(), re.M)
    assert match, f"{name} not exported"
    return float(match.group(1))


def side_effects(url: str) -> list[str]:
    with psycopg.connect(url) as conn:
        return [r[0] for r in conn.execute("SELECT version FROM side_effects ORDER BY 1")]


def member_leases(plane: ControlPlane, holders: set[str]) -> dict[str, dict[str, object]]:
    listed = json.loads(plane.kubectl("get", "leases", "-n", LEASE_NAMESPACE, "-l",
                                      "migrations.es1.dev/operator-member=true", "-o", "json").stdout)
    return {str(lease["spec"]["holderIdentity"]): lease["spec"] for lease in listed["items"]
            if lease["spec"].get("holderIdentity") in holders}


def test_two_replicas_split_the_work_and_a_killed_one_is_taken_over_without_double_applies(
        installed: ControlPlane, kube: Kubectl, pg18: PgServer, tmp_path: Path) -> None:
    names = {n: f"{kube.namespace}-{n}" for n in ("a", "b")}
    env = {**FAST, "DB_MIGRATE_NAMESPACES": kube.namespace, "DB_MIGRATE_LOG_FORMAT": "json",
           "DB_MIGRATE_LEASE_DURATION": str(LEASE_S), "DB_MIGRATE_LEASE_RENEW": str(RENEW_S)}
    ops = {n: operator_process.start(installed, tmp_path / n, name=n,
                                     env={**env, "POD_NAME": names[n]}) for n in ("a", "b")}
    try:
        # Both see each other before any resource exists.
        deadline = time.monotonic() + 3 * LEASE_S
        while any(gauge(op, "db_migrate_shard_members") != 2 for op in ops.values()):
            assert time.monotonic() < deadline, "the replicas never saw each other"
            time.sleep(0.3)
        leases = member_leases(installed, set(names.values()))
        assert set(leases) == set(names.values())
        assert all(spec["leaseDurationSeconds"] == LEASE_S for spec in leases.values())

        kube.apply(configmap("sql", FILES))
        urls = {}
        for i in range(RESOURCES):
            urls[f"r{i}"] = pg18.create_database(f"shard{i}")
            kube.apply(secret(f"pg{i}", urls[f"r{i}"]))
            kube.apply(dbm(f"r{i}", "orders", f"pg{i}", seed="none",
                           source={"configMaps": {"migrations": {"names": ["sql"]}}}))
        for name in urls:
            kube.wait_for(name, ready, timeout=120, what="Ready")
        time.sleep(2)  # any second reconcile of a resource would have logged by now

        # Exactly one replica reconciled each resource, and both had a share.
        counts = {n: reconciled(op) for n, op in ops.items()}
        by = {name: [n for n in ops if counts[n][name]] for name in urls}
        assert all(len(replicas) == 1 for replicas in by.values()), by
        share = {n: {name for name, rs in by.items() if rs == [n]} for n in ops}
        assert share["a"] and share["b"], share
        print(f"shares: a={len(share['a'])} b={len(share['b'])}")
        # A resource's series live only on its owner; the gauges add up to the resources.
        for n, op in ops.items():
            assert runs_series(op, kube.namespace) == share[n]
            assert gauge(op, "db_migrate_shard_resources") == len(share[n])

        # kill -9: no cleanup, its Lease stays until it expires.
        victim, survivor = ops["b"], ops["a"]
        victim.process.send_signal(signal.SIGKILL)
        victim.process.wait(timeout=10)
        killed = time.monotonic()
        kube.apply(configmap("sql", {**FILES, "V2__two.sql": V2}))
        done: dict[str, float] = {}
        while len(done) < RESOURCES:
            assert time.monotonic() < killed + LEASE_S + 30, \
                f"not taken over: {sorted(set(urls) - set(done))}\n{survivor.logs()[-3000:]}"
            for name in set(urls) - set(done):
                obj = kube.get(name)
                if ready(obj) and obj["status"].get("currentVersion") == "2":
                    done[name] = time.monotonic() - killed
            time.sleep(0.3)
        handoff = max(done[name] for name in share["b"])
        own = max(done[name] for name in share["a"])
        print(f"V2 on the survivor's own share within {own:.1f} s, "
              f"on the killed replica's share within {handoff:.1f} s of the kill")
        # Within one Lease duration plus a renewal and the run itself.
        assert handoff <= LEASE_S + RENEW_S + 10
        for name, url in urls.items():
            assert side_effects(url) == ["V1", "V2"], name
        assert runs_series(survivor, kube.namespace) == set(urls)
        assert gauge(survivor, "db_migrate_shard_members") == 1
        assert gauge(survivor, "db_migrate_shard_resources") == RESOURCES
        assert "Traceback" not in survivor.logs()

        # A replica that stops (SIGTERM) deletes its own Lease.
        survivor.stop()
        assert names["a"] not in member_leases(installed, set(names.values()))
    finally:
        for op in ops.values():
            op.stop()


def test_without_lease_permission_a_replica_runs_standalone_and_says_so_once(
        installed: ControlPlane, kube: Kubectl, pg18: PgServer, tmp_path: Path) -> None:
    # deploy/ grants Leases in db-migrate-system only: in the test's namespace every Lease
    # request is refused (403), as for an install without the Lease Role.
    env = {**FAST, "DB_MIGRATE_NAMESPACES": kube.namespace, "DB_MIGRATE_LEASE_NAMESPACE": kube.namespace,
           "DB_MIGRATE_LEASE_RENEW": "0.5"}
    op = operator_process.start(installed, tmp_path, name="alone", env=env)
    try:
        kube.apply(secret("pg", pg18.create_database("alone")))
        kube.apply(configmap("sql", FILES))
        kube.apply(dbm("alone", "orders", "pg", seed="none",
                       source={"configMaps": {"migrations": {"names": ["sql"]}}}))
        kube.wait_for("alone", ready, timeout=90, what="Ready")
        time.sleep(2)  # four renewal periods: it must not ask (or log) again
        lines = [line for line in op.logs().splitlines() if "running standalone" in line]
        assert len(lines) == 1, op.logs()[-3000:]
        assert "403" in lines[0]
        assert gauge(op, "db_migrate_shard_members") == 1
        assert gauge(op, "db_migrate_shard_resources") == 1
    finally:
        op.stop()


def test_a_replica_stopped_by_sigterm_hands_over_before_its_lease_would_expire(
        installed: ControlPlane, kube: Kubectl, pg18: PgServer, tmp_path: Path) -> None:
    # A 30 s Lease: a hand-off that waited for expiry would miss the 10 s bound below.
    lease_s = 30
    names = {n: f"{kube.namespace}-{n}" for n in ("a", "b")}
    env = {**FAST, "DB_MIGRATE_NAMESPACES": kube.namespace, "DB_MIGRATE_LOG_FORMAT": "json",
           "DB_MIGRATE_LEASE_DURATION": str(lease_s), "DB_MIGRATE_LEASE_RENEW": str(RENEW_S)}
    ops = {n: operator_process.start(installed, tmp_path / n, name=n,
                                     env={**env, "POD_NAME": names[n]}) for n in ("a", "b")}
    try:
        deadline = time.monotonic() + 20
        while any(gauge(op, "db_migrate_shard_members") != 2 for op in ops.values()):
            assert time.monotonic() < deadline, "the replicas never saw each other"
            time.sleep(0.3)
        kube.apply(configmap("sql", FILES))
        # 4 resources of each replica (by the members' own rendezvous hash), so that b always
        # has a share to hand over: 8 names taken at random left b none once in 256 runs.
        members = list(names.values())
        share: dict[str, list[str]] = {m: [] for m in members}
        for candidate in (f"g{i}" for i in range(200)):
            mine = share[owner(key_text(kube.namespace, candidate), members)]
            if len(mine) < 4:
                mine.append(candidate)
        urls = {}
        for i, name in enumerate(sorted(share[names["a"]] + share[names["b"]])):
            urls[name] = pg18.create_database(f"leave{i}")
            kube.apply(secret(f"pg{i}", urls[name]))
            kube.apply(dbm(name, "orders", f"pg{i}", seed="none",
                           source={"configMaps": {"migrations": {"names": ["sql"]}}}))
        for name in urls:
            kube.wait_for(name, ready, timeout=90, what="Ready")
        leaving = {name for name, count in reconciled(ops["b"]).items() if count}
        assert leaving == set(share[names["b"]]), (leaving, share)

        ops["b"].stop()  # SIGTERM: kopf's cleanup deletes b's Lease
        stopped = time.monotonic()
        assert names["b"] not in member_leases(installed, set(names.values()))
        kube.apply(configmap("sql", {**FILES, "V2__two.sql": V2}))
        for name in leaving:
            kube.wait_for(name, lambda o: ready(o) and o["status"].get("currentVersion") == "2",
                          timeout=10 - (time.monotonic() - stopped), what="V2 after b left")
        print(f"b's share had V2 {time.monotonic() - stopped:.1f} s after b was stopped")
        for url in urls.values():
            assert side_effects(url) in (["V1"], ["V1", "V2"])
        for name in leaving:
            assert side_effects(urls[name]) == ["V1", "V2"]
    finally:
        for op in ops.values():
            op.stop()


def test_a_killed_replicas_share_goes_before_the_survivors_backlog(
        installed: ControlPlane, kube: Kubectl, pg18: PgServer, tmp_path: Path) -> None:
    """One worker per replica and a slow migration for every resource: when a replica is killed
    mid-rollout, the survivor checks the share it takes over ahead of its own queued runs (not
    after them: a killed replica's share then waited for the survivor's whole backlog)."""
    names = {n: f"{kube.namespace}-{n}" for n in ("a", "b")}
    lease_s, renew_s = 3, 0.5
    env = {**FAST, "DB_MIGRATE_NAMESPACES": kube.namespace, "DB_MIGRATE_WORKERS": "1",
           "DB_MIGRATE_LEASE_DURATION": str(lease_s), "DB_MIGRATE_LEASE_RENEW": str(renew_s)}
    ops = {n: operator_process.start(installed, tmp_path / n, name=n,
                                     env={**env, "POD_NAME": names[n]}) for n in ("a", "b")}
    try:
        deadline = time.monotonic() + 3 * lease_s
        while any(gauge(op, "db_migrate_shard_members") != 2 for op in ops.values()):
            assert time.monotonic() < deadline, "the replicas never saw each other"
            time.sleep(0.3)
        kube.apply(configmap("sql", FILES))
        urls = {}
        for i in range(16):
            urls[f"q{i}"] = pg18.create_database(f"backlog{i}")
            kube.apply(secret(f"pg{i}", urls[f"q{i}"]))
            kube.apply(dbm(f"q{i}", "orders", f"pg{i}", seed="none",
                           source={"configMaps": {"migrations": {"names": ["sql"]}}}))
        for name in urls:
            kube.wait_for(name, ready, timeout=120, what="Ready")
        time.sleep(1)
        share = {n: runs_series(op, kube.namespace) for n, op in ops.items()}
        assert share["a"] and share["b"] and share["a"] | share["b"] == set(urls), share

        # Each run now takes 1 s, one at a time: the survivor's own backlog lasts well past
        # the moment the victim's Lease expires.
        kube.apply(configmap("sql", {**FILES, "V2__slow.sql": V2 + " SELECT pg_sleep(1);"}))
        time.sleep(0.3)
        ops["b"].process.send_signal(signal.SIGKILL)
        ops["b"].process.wait(timeout=10)
        killed = time.monotonic()
        done: dict[str, float] = {}
        while len(done) < len(urls):
            assert time.monotonic() < killed + 90, f"not done: {sorted(set(urls) - set(done))}"
            for name in set(urls) - set(done):
                obj = kube.get(name)
                if ready(obj) and obj["status"].get("currentVersion") == "2":
                    done[name] = time.monotonic() - killed
            time.sleep(0.2)
        orphans = {n for n in share["b"] if done[n] > 0.5}  # the victim may have done a few
        own_last = max(done[n] for n in share["a"])
        print(f"own share done within {own_last:.1f} s; taken-over share: "
              f"{sorted(round(done[n], 1) for n in orphans)}")
        assert orphans
        # The first taken-over resource is done before the survivor's own backlog is.
        assert min(done[n] for n in orphans) < own_last
        for name, url in urls.items():
            assert side_effects(url) == ["V1", "V2"], name
    finally:
        for op in ops.values():
            op.stop()


def test_a_replica_started_with_more_resources_than_it_had_kopf_workers_reconciles_them(
        installed: ControlPlane, kube: Kubectl, pg18: PgServer, tmp_path: Path) -> None:
    """The resources exist before the replica starts (a restart, a rolling update, a replaced
    Pod). kopf indexes every listed object before it handles any; with a limit on its
    per-object workers (it was max(32, 8 x DB_MIGRATE_WORKERS)) the objects past the limit
    waited for a worker that waited for them, and the replica never handled anything."""
    url = pg18.create_database("restart")
    kube.apply(secret("pg", url))
    kube.apply(configmap("sql", FILES))
    names = [f"s{i}" for i in range(40)]  # over 32, the old limit with one worker
    for name in names:
        kube.apply(dbm(name, "orders", "pg", seed="none",
                       source={"configMaps": {"migrations": {"names": ["sql"]}}}))
    op = operator_process.start(installed, tmp_path / "op", name="op", env={
        **FAST, "DB_MIGRATE_NAMESPACES": kube.namespace, "DB_MIGRATE_WORKERS": "1",
        "POD_NAME": f"{kube.namespace}-op"})
    try:
        deadline = time.monotonic() + 120
        for name in names:
            kube.wait_for(name, ready, timeout=max(1.0, deadline - time.monotonic()),
                          what=f"Ready (handled by a replica started after it)\n{op.logs()[-2000:]}")
        assert side_effects(url) == ["V1"]
    finally:
        op.stop()
