"""Sharding without an API server: rendezvous hashing, and Membership over a fake Lease API
with a fake clock (issue 18 §1). The real API server: test_shards_cluster.py."""

from __future__ import annotations

import collections
import logging
import subprocess
import sys
from collections.abc import Mapping

import pytest
from prometheus_client import Counter, Histogram

from db_migrate.reconciler import metrics
from db_migrate.reconciler.leases import LeaseForbidden, LeaseRecord
from db_migrate.reconciler.retries import Scheduler
from db_migrate.reconciler.shards import (
    MEMBER_LABEL,
    SCOPE_LABEL,
    Key,
    Membership,
    identity,
    key_text,
    lease_name,
    owner,
    scope_label,
)

KEYS = [key_text(f"ns{i % 7}", f"app-{i}") for i in range(1000)]


def assignment(members: list[str]) -> dict[str, str]:
    return {key: owner(key, members) for key in KEYS}


def test_rendezvous_spreads_1000_keys_over_3_members_within_a_fifth_of_even() -> None:
    counts = collections.Counter(assignment(["a", "b", "c"]).values())
    assert set(counts) == {"a", "b", "c"}
    assert all(267 <= n <= 400 for n in counts.values()), counts


def test_a_joining_member_takes_about_a_quarter_and_only_it_gains() -> None:
    before, after = assignment(["a", "b", "c"]), assignment(["a", "b", "c", "d"])
    moved = [k for k in KEYS if before[k] != after[k]]
    assert all(after[k] == "d" for k in moved)
    assert 180 <= len(moved) <= 320, len(moved)


def test_a_leaving_member_gives_away_only_its_own_keys() -> None:
    before, after = assignment(["a", "b", "c"]), assignment(["a", "c"])
    moved = {k for k in KEYS if before[k] != after[k]}
    assert moved == {k for k in KEYS if before[k] == "b"}


def test_every_process_computes_the_same_owner() -> None:
    # hash() of a str differs between processes (PYTHONHASHSEED): replicas would disagree.
    code = ("from db_migrate.reconciler.shards import owner, key_text\n"
            "print(','.join(owner(key_text('ns', f'k{i}'), ['x', 'y', 'z']) for i in range(200)))")
    outputs = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                              env={"PYTHONHASHSEED": seed}).stdout.strip() for seed in ("1", "2")}
    here = ",".join(owner(key_text("ns", f"k{i}"), ["x", "y", "z"]) for i in range(200))
    assert outputs == {here}


def test_identity_is_the_pod_name_else_host_and_pid(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("POD_NAME", "db-migrate-operator-5d9c-x2k4")
    assert identity() == "db-migrate-operator-5d9c-x2k4"
    assert lease_name(identity()) == "db-migrate-operator-5d9c-x2k4"
    monkeypatch.delenv("POD_NAME")
    assert identity().endswith(f"-{__import__('os').getpid()}")
    assert lease_name("Build_Host.example-123") == "db-migrate-build-host.example-123"
    assert len(lease_name("x" * 400)) <= 253


def test_scope_label_fits_a_label_value_and_names_the_scope() -> None:
    assert scope_label([]) == "all"
    assert scope_label(["b", "a"]) == scope_label(["a", "b"]) != scope_label(["a"])
    assert len(scope_label([f"ns{i}" for i in range(500)])) <= 63


class FakeLeases:
    """The Lease API in memory: name -> (record, labels)."""

    def __init__(self) -> None:
        self.store: dict[str, tuple[LeaseRecord, dict[str, str]]] = {}
        self.failing: Exception | None = None
        self.requests = 0

    def _call(self) -> None:
        self.requests += 1
        if self.failing is not None:
            raise self.failing

    def put(self, record: LeaseRecord, labels: Mapping[str, str]) -> None:
        self._call()
        self.store[record.name] = (record, dict(labels))

    def list(self, label_selector: str) -> list[LeaseRecord]:
        self._call()
        wanted = dict(pair.split("=") for pair in label_selector.split(","))
        return [r for r, labels in self.store.values() if wanted.items() <= labels.items()]

    def delete(self, name: str) -> None:
        self._call()
        self.store.pop(name, None)


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


RESOURCES: list[Key] = [(f"ns{i % 3}", f"r{i}") for i in range(60)]


class Recorder:
    def __init__(self) -> None:
        self.gained: set[Key] = set()
        self.lost: set[Key] = set()
        self.reports: list[tuple[int, int]] = []

    def __call__(self, gained: set[Key], lost: set[Key]) -> None:
        self.gained |= gained
        self.lost |= lost

    def report(self, members: int, owned: int) -> None:
        self.reports.append((members, owned))


def member(name: str, leases: FakeLeases, clock: Clock, recorder: Recorder | None = None,
           scope: str = "all") -> Membership:
    rec = recorder or Recorder()
    return Membership(name, leases, scope=scope, clock=clock, keys=lambda: RESOURCES,
                      on_change=rec, report=rec.report)


def passes(*members: Membership) -> None:
    """One renewal pass of each member, in this order."""
    for m in members:
        m.renew()


def test_members_see_each_other_and_split_the_resources_exactly() -> None:
    leases, clock = FakeLeases(), Clock()
    a, b = member("a", leases, clock), member("b", leases, clock)
    passes(a, b, a)
    assert a.members() == b.members() == ("a", "b")
    owned_a, owned_b = a.owned(RESOURCES), b.owned(RESOURCES)
    assert owned_a.isdisjoint(owned_b) and owned_a | owned_b == set(RESOURCES)
    assert owned_a and owned_b
    (record, labels), = [leases.store[a.lease]]
    assert labels == {MEMBER_LABEL: "true", SCOPE_LABEL: "all"}
    assert (record.holder, record.duration_s) == ("a", 10.0)


def test_an_expired_member_is_dropped_and_its_resources_reported_to_the_survivor() -> None:
    leases, clock, seen = FakeLeases(), Clock(), Recorder()
    a, b = member("a", leases, clock, seen), member("b", leases, clock)
    passes(b, a, b)
    b_owned = b.owned(RESOURCES)
    assert b_owned and not seen.gained
    seen.lost.clear()  # a's first pass: from "alone" (before any listing) to two members
    clock.now += 9.5  # b renewed 9.5 s ago: still within its 10 s Lease
    a.renew()
    assert a.members() == ("a", "b") and not seen.gained
    clock.now += 1  # now expired (b was killed: it never deleted its Lease)
    a.renew()
    assert a.members() == ("a",)
    assert seen.gained == b_owned and not seen.lost
    assert a.owned(RESOURCES) == set(RESOURCES)
    assert seen.reports[-1] == (1, len(RESOURCES))


def test_a_joining_member_takes_resources_from_the_others_which_are_told() -> None:
    leases, clock, seen = FakeLeases(), Clock(), Recorder()
    a = member("a", leases, clock, seen)
    a.renew()
    c = member("c", leases, clock)
    c.renew()
    a.renew()
    assert seen.lost == c.owned(RESOURCES) and seen.lost
    assert not seen.gained


def test_a_stopping_member_deletes_its_lease_so_peers_take_over_at_the_next_pass() -> None:
    leases, clock, seen = FakeLeases(), Clock(), Recorder()
    a, b = member("a", leases, clock, seen), member("b", leases, clock)
    passes(b, a, b)
    b_owned = b.owned(RESOURCES)
    b.stop()
    assert b.lease not in leases.store
    a.renew()  # no clock advance: not an expiry
    assert a.members() == ("a",) and seen.gained == b_owned


def test_no_lease_permission_runs_standalone_with_one_log_line(caplog: pytest.LogCaptureFixture) -> None:
    leases, clock, seen = FakeLeases(), Clock(), Recorder()
    leases.failing = LeaseForbidden("cannot write Lease db-migrate-system/a: HTTP 403 Forbidden")
    a = member("a", leases, clock, seen)
    with caplog.at_level(logging.INFO, logger="db_migrate.reconciler.shards"):
        passes(a, a, a)
    assert a.standalone and a.owned(RESOURCES) == set(RESOURCES)
    lines = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(lines) == 1 and "standalone" in lines[0] and "403" in lines[0]
    assert leases.requests == 1  # it stopped asking
    a.stop()  # and deletes nothing
    assert leases.requests == 1


def test_api_trouble_keeps_peers_until_their_lease_expires_then_owns_everything() -> None:
    leases, clock, seen = FakeLeases(), Clock(), Recorder()
    a, b = member("a", leases, clock, seen), member("b", leases, clock)
    passes(b, a)
    leases.failing = OSError("connection refused")
    clock.now += 5
    a.renew()
    assert a.members() == ("a", "b")
    clock.now += 6
    a.renew()
    assert a.members() == ("a",) and a.owned(RESOURCES) == set(RESOURCES)


def test_leases_expired_long_ago_are_collected_fresh_ones_are_not() -> None:
    leases, clock = FakeLeases(), Clock()
    dead, gone = member("dead", leases, clock), member("recent", leases, clock)
    dead.renew()
    clock.now += 100
    gone.renew()
    clock.now += 15  # dead: 115 s, beyond 60 s after expiry; recent: 15 s
    a = member("a", leases, clock)
    a.renew()
    assert dead.lease not in leases.store and gone.lease in leases.store
    assert a.members() == ("a",)


def test_replicas_watching_other_namespaces_do_not_share() -> None:
    leases, clock = FakeLeases(), Clock()
    wide, narrow = member("wide", leases, clock), member("narrow", leases, clock,
                                                          scope=scope_label(["es1-apps"]))
    passes(wide, narrow, wide)
    assert wide.members() == ("wide",) and narrow.members() == ("narrow",)


def test_scheduler_acts_only_for_owned_keys_and_checks_a_gained_key_at_once() -> None:
    mine: set[Key] = {("ns", "mine")}
    wakes: list[Key] = []
    checks: list[Key] = []
    clock = Clock()

    def check(key: Key) -> object:
        from concurrent.futures import Future
        checks.append(key)
        done: Future[object] = Future()
        done.set_result(None)
        return done

    sched = Scheduler(lambda ns, name, rev: wakes.append((ns, name)), lambda ns, s: "1",
                      clock=clock, check=check,  # type: ignore[arg-type]
                      drift_interval_s=30, owns=lambda key: key in mine)
    sched.retry(("ns", "mine"), 1, {})
    for key in [("ns", "mine"), ("ns", "theirs")]:
        sched.watch(key)
        sched.wake_soon(key, "ConfigMap/sql@2")
    clock.now += 31
    sched.tick()
    assert wakes == [("ns", "mine")]  # the other's wake is its owner's job
    assert checks == []  # mine is retrying (the retry schedule has it), theirs is not mine
    sched.release(("ns", "mine"))
    mine.add(("ns", "theirs"))
    sched.check_now(("ns", "theirs"))
    sched.tick()
    assert ("ns", "theirs") in checks


def test_forget_removes_every_series_of_the_resource_and_only_those() -> None:
    labels = metrics.resource_labels("shard-ns", "gone", "db1")
    metrics.RUNS.labels(*labels, "succeeded").inc()
    metrics.APPLIED.labels(*labels).inc()
    metrics.observe_duration(labels, 0.3, per_resource=True)
    other = metrics.resource_labels("shard-ns", "kept", "db1")
    metrics.RUNS.labels(*other, "retry").inc()

    def names(metric: Counter | Histogram) -> set[str]:
        return {s.labels.get("name", "") for m in metric.collect() for s in m.samples
                if s.labels.get("namespace") == "shard-ns"}

    metrics.forget("shard-ns", "gone")
    assert names(metrics.RUNS) == {"kept"}
    assert names(metrics.APPLIED) == set() and names(metrics.RESOURCE_DURATION) == set()
    assert ("shard-ns", "gone") not in metrics.tracked()
    metrics.forget("shard-ns", "kept")


def test_lease_settings_and_log_format_are_read_from_the_environment(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from db_migrate.reconciler.settings import Settings

    for name in ("DB_MIGRATE_LEASE_NAMESPACE", "DB_MIGRATE_LEASE_DURATION", "DB_MIGRATE_LEASE_RENEW",
                 "DB_MIGRATE_SHARDING", "DB_MIGRATE_LOG_FORMAT"):
        monkeypatch.delenv(name, raising=False)
    default = Settings.from_env()
    # Outside a Pod there is no ServiceAccount namespace file: the install's namespace.
    assert (default.lease_namespace, default.lease_duration_s, default.lease_renew_s) == \
        ("db-migrate-system", 10.0, 2.0)
    assert default.sharding and not default.log_json
    monkeypatch.setenv("DB_MIGRATE_LEASE_NAMESPACE", "ops")
    monkeypatch.setenv("DB_MIGRATE_LEASE_DURATION", "6")
    monkeypatch.setenv("DB_MIGRATE_LEASE_RENEW", "1")
    monkeypatch.setenv("DB_MIGRATE_SHARDING", "off")
    monkeypatch.setenv("DB_MIGRATE_LOG_FORMAT", "JSON")
    custom = Settings.from_env()
    assert (custom.lease_namespace, custom.lease_duration_s, custom.lease_renew_s) == ("ops", 6.0, 1.0)
    assert not custom.sharding and custom.log_json
    monkeypatch.setenv("DB_MIGRATE_LOG_FORMAT", "yaml")
    with pytest.raises(ValueError, match="DB_MIGRATE_LOG_FORMAT"):
        Settings.from_env()


def test_the_next_pass_comes_when_a_peers_lease_runs_out_not_a_period_later() -> None:
    leases, clock = FakeLeases(), Clock()
    a, b = member("a", leases, clock), member("b", leases, clock)
    passes(b, a)
    assert a.next_pass_in() == 2.0  # b's Lease runs 10 s: one renewal period
    clock.now += 9
    a.renew()  # b did not renew (killed)
    assert a.next_pass_in() == pytest.approx(1.05)
    clock.now += a.next_pass_in()
    a.renew()
    assert a.members() == ("a",) and a.next_pass_in() == 2.0


def test_taken_over_keys_are_checked_first_and_with_more_threads_than_periodic_checks() -> None:
    from concurrent.futures import Future

    clock = Clock()
    started: list[Key] = []

    def check(key: Key) -> Future[object]:
        started.append(key)
        return Future()  # still running

    sched = Scheduler(lambda *_: None, lambda ns, s: "1", clock=clock, check=check,
                      drift_interval_s=30, drift_parallel=1, takeover_parallel=3)
    sched.watch(("ns", "periodic"))
    clock.now += 31  # the periodic check is overdue
    for i in range(4):
        sched.check_now(("ns", f"moved{i}"))
    sched.tick()
    assert started == [("ns", "moved0"), ("ns", "moved1"), ("ns", "moved2")]
