"""The retry scheduler, the transport-error mapping and the outage status, without a cluster.

The behaviour end to end is proven against the real API server in test_recovery_*.py; these
pin the rules (when a wake happens, what counts as transport trouble) cheaply."""

from __future__ import annotations

import collections
import time
from concurrent.futures import Future
from typing import Any

import pytest
import urllib3.exceptions
from kubernetes.client.exceptions import ApiException

from db_migrate.reconciler import status as st
from db_migrate.reconciler.kube import KubeUnavailable, transport_error
from db_migrate.reconciler.retries import Scheduler
from db_migrate.reconciler.settings import Settings


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


class Cluster:
    """Records wakes; Secrets are a dict name -> resourceVersion; ``down`` fails every call;
    ``reads`` counts the Secret GETs."""

    def __init__(self) -> None:
        self.woken: list[tuple[str, str, str]] = []
        self.secrets: dict[str, str] = {}
        self.down = False
        self.reads: collections.Counter[tuple[str, str]] = collections.Counter()

    def wake(self, namespace: str, name: str, revision: str) -> None:
        if self.down:
            raise KubeUnavailable("API server unreachable")
        self.woken.append((namespace, name, revision))

    def revision(self, namespace: str, name: str) -> str:
        if self.down:
            raise KubeUnavailable("API server unreachable")
        self.reads[(namespace, name)] += 1
        return self.secrets.get(name, "")


def make(**kwargs: Any) -> tuple[Scheduler, Cluster, Clock]:
    cluster, clock = Cluster(), Clock()
    return Scheduler(cluster.wake, cluster.revision, clock=clock, **kwargs), cluster, clock


def test_a_retry_wakes_at_its_backoff_time_and_counts_attempts() -> None:
    sched, cluster, clock = make()
    sched.retry(("ns", "a"), 40.0, {})
    assert sched.attempt(("ns", "a")) == 1
    clock.now += 39
    sched.tick()
    assert cluster.woken == []
    clock.now += 1
    sched.tick()
    assert [w[:2] for w in cluster.woken] == [("ns", "a")]
    sched.retry(("ns", "a"), 80.0, {})
    assert sched.attempt(("ns", "a")) == 2
    sched.forget(("ns", "a"))
    assert sched.attempt(("ns", "a")) == 0


def test_a_changed_or_created_secret_wakes_at_once_despite_the_backoff() -> None:
    sched, cluster, _clock = make()
    sched.retry(("ns", "a"), 300.0, {"pg": ""})  # missing when the run failed
    sched.tick()
    assert cluster.woken == []
    cluster.secrets["pg"] = "17"
    sched.tick()
    assert cluster.woken == [("ns", "a", "Secret/pg@17")]
    sched.tick()  # the new version is the baseline now: no second wake
    assert len(cluster.woken) == 1


def test_a_stalled_resource_is_woken_only_by_its_secret() -> None:
    sched, cluster, clock = make()
    cluster.secrets["pg"] = "5"
    sched.stalled(("ns", "s"), {"pg": "5"})
    clock.now += 10_000
    sched.tick()
    assert cluster.woken == []
    cluster.secrets["pg"] = "6"
    sched.tick()  # Stalled for hours: its Secret is read every 30 s, not at every pass
    assert cluster.woken == []
    clock.now += 30
    sched.tick()
    assert cluster.woken == [("ns", "s", "Secret/pg@6")]


def test_a_secret_shared_by_100_stalled_resources_is_read_once_per_pass() -> None:
    sched, cluster, clock = make()
    cluster.secrets["pg"] = "5"
    for n in range(100):
        sched.stalled(("ns", f"r{n}"), {"pg": "5"})
    sched.retry(("other", "x"), 300.0, {"pg": ""})  # same name, another namespace
    sched.tick()
    assert cluster.reads == {("ns", "pg"): 1, ("other", "pg"): 1}
    cluster.secrets["pg"] = "6"
    clock.now += 1
    sched.tick()
    # One read, shared: every resource using it is woken, each with the new revision.
    assert cluster.reads == {("ns", "pg"): 2, ("other", "pg"): 2}
    assert sorted(w for w in cluster.woken if w[0] == "ns") == \
        sorted(("ns", f"r{n}", "Secret/pg@6") for n in range(100))
    woken = len(cluster.woken)
    clock.now += 1
    sched.tick()  # the new revision is every entry's baseline: no second wake
    assert len(cluster.woken) == woken


def test_the_secret_reads_of_a_pass_are_capped_and_the_rest_follow_round_robin() -> None:
    sched, cluster, clock = make(poll_budget=50)
    for n in range(120):
        sched.stalled(("ns", f"r{n}"), {f"s{n}": ""})
    passes: list[set[tuple[str, str]]] = []
    for _ in range(6):
        before = collections.Counter(cluster.reads)
        sched.tick()
        passes.append(set((cluster.reads - before).keys()))
        clock.now += 1
    assert [len(p) for p in passes] == [50] * 6
    # Least recently read first: any 3 passes in a row (150 reads) read all 120 Secrets.
    for first in range(4):
        assert len(set().union(*passes[first:first + 3])) == 120
    # What was left over is read at the next pass, a poll period away.
    assert sched.next_delay() == 1.0


def test_a_change_is_seen_within_the_passes_the_budget_needs() -> None:
    sched, cluster, clock = make(poll_budget=10)
    for n in range(30):
        sched.retry(("ns", f"r{n}"), 300.0, {f"s{n}": "1"})
        cluster.secrets[f"s{n}"] = "1"
    cluster.secrets["s29"] = "2"
    for _ in range(3):
        sched.tick()
        clock.now += 1
    assert cluster.woken == [("ns", "r29", "Secret/s29@2")]


def test_resources_stalled_for_minutes_are_polled_every_30_s() -> None:
    sched, cluster, clock = make(slow_after_s=300.0, slow_poll_s=30.0)
    cluster.secrets["pg"] = "5"
    sched.stalled(("ns", "s"), {"pg": "5"})
    for _ in range(300):  # the first five minutes: at every pass
        sched.tick()
        clock.now += 1
    assert cluster.reads[("ns", "pg")] == 300
    for _ in range(300):  # then every 30 s
        sched.tick()
        clock.now += 1
    assert cluster.reads[("ns", "pg")] == 300 + 10
    # The loop sleeps until the next slow read, not a poll period.
    assert 0 < sched.next_delay() <= 30.0 and sched.next_delay() > 1.0
    # A retrying resource using the same Secret needs it at every pass again: shared.
    sched.retry(("ns", "r"), 300.0, {"pg": "5"})
    sched.tick()
    clock.now += 1
    sched.tick()
    assert cluster.reads[("ns", "pg")] == 312
    # Stalled again (a new run, still failing): fast for another five minutes.
    sched.forget(("ns", "r"))
    sched.stalled(("ns", "s"), {"pg": "5"})
    clock.now += 1
    sched.tick()
    assert cluster.reads[("ns", "pg")] == 313


def test_a_wake_requested_while_the_api_server_is_down_is_sent_when_it_is_back() -> None:
    sched, cluster, _clock = make()
    cluster.down = True
    sched.wake_soon(("ns", "a"), "ConfigMap/sql@9")
    sched.tick()
    sched.tick()
    assert cluster.woken == []
    cluster.down = False
    sched.tick()
    assert cluster.woken == [("ns", "a", "ConfigMap/sql@9")]
    sched.tick()
    assert len(cluster.woken) == 1


def test_transport_errors_map_to_one_line_of_kubernetes_unavailable() -> None:
    pool_error = urllib3.exceptions.MaxRetryError(
        None, "/apis/x", reason=urllib3.exceptions.NewConnectionError(None, "refused"))  # type: ignore[arg-type]
    for exc in (pool_error, ConnectionRefusedError(111, "refused"), TimeoutError("timed out"),
                ApiException(status=503, reason="Service Unavailable"),
                ApiException(status=429, reason="Too Many Requests")):
        mapped = transport_error(exc, "drift_check")
        assert isinstance(mapped, KubeUnavailable), exc
        assert mapped.reason == "KubernetesUnavailable"
        assert "\n" not in str(mapped) and str(mapped).startswith("drift_check: ")
    for other in (ApiException(status=403, reason="Forbidden"), ValueError("a bug")):
        assert transport_error(other, "x") is None


def test_an_outage_keeps_ready_and_sets_its_own_condition() -> None:
    ready = st.conditions(None, 3, ready=(True, "Succeeded", "V3 applied"),
                          reconciling=(False, "Succeeded", ""), stalled=(False, "Succeeded", ""))
    status = st.outage(ready, 3, "DatabaseUnavailable", "cannot connect", 10, 2)
    by_type = {c["type"]: c for c in status["conditions"]}
    assert by_type["Ready"] == ready[0]
    assert by_type["DatabaseReachable"]["status"] == "False"
    assert "re-checking in 10 s (attempt 2)" in status["message"]
    # The next full write (progressing, succeeded ...) carries the outage condition over.
    after = st.progressing(status["conditions"], 3, "Progressing", "applying")
    assert {c["type"] for c in after["conditions"]} == {"Ready", "Reconciling", "Stalled",
                                                        "DatabaseReachable"}


def test_transient_reasons_come_from_the_error_classes() -> None:
    from db_migrate.reconciler.conditions import Reason, is_transient

    for reason in (Reason.DATABASE_UNAVAILABLE, Reason.LOCK_TIMEOUT, Reason.SECRET_NOT_FOUND,
                   Reason.CONFIGMAP_NOT_FOUND, Reason.KUBERNETES_UNAVAILABLE):
        assert is_transient(reason), reason
    for reason in (Reason.MIGRATION_FAILED, Reason.INVALID_SOURCE, Reason.INVALID_CONNECTION,
                   Reason.CHECKSUM_DRIFT,
                   Reason.INVALID_MIGRATION_SET, Reason.SUCCEEDED):
        assert not is_transient(reason), reason


class Checks:
    """The drift checks started, each finished by hand (``finish``), like a busy pool."""

    def __init__(self) -> None:
        self.started: list[tuple[str, str]] = []
        self.pending: dict[tuple[str, str], Future[object]] = {}

    def __call__(self, key: tuple[str, str]) -> Future[object]:
        self.started.append(key)
        self.pending[key] = Future()
        return self.pending[key]

    def finish(self, key: tuple[str, str]) -> None:
        self.pending.pop(key).set_result(None)


def make_drift(parallel: int = 2) -> tuple[Scheduler, Cluster, Clock, Checks]:
    cluster, clock, checks = Cluster(), Clock(), Checks()
    sched = Scheduler(cluster.wake, cluster.revision, clock=clock, check=checks,
                      drift_interval_s=300.0, drift_parallel=parallel)
    return sched, cluster, clock, checks


def test_a_seen_resource_is_drift_checked_every_interval_after_its_last_run() -> None:
    sched, cluster, clock, checks = make_drift()
    sched.watch(("ns", "a"))
    clock.now += 200
    sched.checked(("ns", "a"))  # a run verified it: the interval starts again
    sched.watch(("ns", "a"))  # a later event does not move it back
    clock.now += 299
    sched.tick()
    assert checks.started == []
    clock.now += 1
    sched.tick()
    assert checks.started == [("ns", "a")]
    sched.tick()  # running: not started twice
    checks.finish(("ns", "a"))
    clock.now += 299
    sched.tick()
    assert checks.started == [("ns", "a")]
    clock.now += 1
    sched.tick()
    assert checks.started == [("ns", "a")] * 2
    assert cluster.woken == []  # a check is run, not a wake through an annotation


def test_drift_checks_due_together_run_a_few_at_a_time() -> None:
    sched, _cluster, clock, checks = make_drift(parallel=2)
    for i in range(5):
        sched.watch(("ns", f"r{i}"))
    clock.now += 300
    sched.tick()
    assert len(checks.started) == 2
    assert sched.next_delay() == 30.0  # nothing else to do until one finishes
    checks.finish(checks.started[0])
    sched.tick()
    assert len(checks.started) == 3
    for key in list(checks.pending):
        checks.finish(key)
    sched.tick()
    assert sorted(checks.started) == [("ns", f"r{i}") for i in range(5)]


def test_a_retrying_resource_is_not_drift_checked_and_a_deleted_one_never_again() -> None:
    sched, _cluster, clock, checks = make_drift()
    sched.watch(("ns", "busy"))
    sched.watch(("ns", "gone"))
    sched.retry(("ns", "busy"), 10_000.0, {})
    sched.gone(("ns", "gone"))
    clock.now += 300
    sched.tick()
    assert checks.started == []
    sched.forget(("ns", "busy"))  # Ready again: the drift schedule stayed
    clock.now += 300
    sched.tick()
    assert checks.started == [("ns", "busy")]
    assert ("ns", "gone") not in sched.drift_due()


def test_the_running_loop_starts_a_check_due_before_its_next_wake() -> None:
    checks = Checks()
    cluster = Cluster()
    sched = Scheduler(cluster.wake, cluster.revision, check=checks, drift_interval_s=0.2)
    stop = sched.start()
    try:
        time.sleep(0.1)  # the idle loop now sleeps for 30 s
        sched.watch(("ns", "a"))
        deadline = time.monotonic() + 2
        while not checks.started:
            assert time.monotonic() < deadline, "the sleeping loop missed the drift check"
            time.sleep(0.02)
    finally:
        stop.set()


def test_the_secret_poll_budget_is_read_from_the_environment(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DB_MIGRATE_SECRET_POLL_BUDGET", raising=False)
    assert Settings.from_env().secret_poll_budget == 50
    monkeypatch.setenv("DB_MIGRATE_SECRET_POLL_BUDGET", "0")
    assert Settings.from_env().secret_poll_budget == 1
    monkeypatch.setenv("DB_MIGRATE_SECRET_POLL_BUDGET", "200")
    assert Settings.from_env().secret_poll_budget == 200
