"""The operator's own retry schedule: wake a resource at its backoff time, or at once when
something it depends on changes.

kopf's ``TemporaryError(delay=...)`` sleeps through new events: a Secret fixed during a 300 s
backoff was used 300 s later.  So the change handler never raises it; it records the failure
here and completes.  One thread per operator then wakes the resource by bumping the
``migrations.es1.dev/source-revision`` annotation (which reaches ``on.update``):

* when the backoff delay has passed;
* when a referenced Secret changed: Secrets are not watched (RBAC grants ``get`` only), so the
  Secrets of resources that are retrying or Stalled, and only those, are read about once a
  second and compared with the resourceVersion seen before the failing run.  Each Secret is
  read once per pass however many resources use it (their entries share the answer); at most
  ``poll_budget`` Secrets are read per pass, least recently read first, so a backlog is spread
  over the next passes and none starves; a Secret whose users are all Stalled for longer than
  ``slow_after_s`` (a fix is unlikely to come any second now) is read every ``slow_poll_s``;
* when asked to (:meth:`Scheduler.wake_soon`: a ConfigMap event, a re-list), retrying the
  annotation patch until the API server takes it.

After a wake the entry stays, due again after the same delay: if the update event is lost
(another replica, a watch reconnect), the resource is still retried.  The handler replaces the
entry on its next run and removes it when the resource is Ready.

The same thread runs the **drift checks** (``check``): every resource seen is checked one
interval after it was last reconciled or checked.  It holds only the key and a due time per
resource (kopf's ``@kopf.timer`` kept each object's last body, a task and a finalizer: about
30 MiB and one extra write per resource at 1,000).  A check is handed to ``check``, which
returns a Future (the operator's handler thread pool, so checks share its connection cap); at
most ``drift_parallel`` run at once, so a thousand checks falling due together do not starve
new work.  A resource the retry schedule owns (retrying, Stalled) is not drift-checked.

With several replicas (reconciler/shards.py) every replica keeps every key it has seen, so it
can take a resource over when its owner goes away, but acts only on the keys it owns
(``owns``): no wake, Secret poll or drift check for another replica's resource.
:meth:`Scheduler.check_now` is how a key that moved to this replica is checked at once.
"""

from __future__ import annotations

import functools
import logging
import threading
import time
from collections.abc import Callable, Mapping
from concurrent.futures import Future
from dataclasses import dataclass, field

from kubernetes.client.exceptions import ApiException

from db_migrate.reconciler.kube import KubeUnavailable

log = logging.getLogger(__name__)

Key = tuple[str, str]
#: (namespace, name, revision text) -> bump the trigger annotation.
Wake = Callable[[str, str, str], None]
#: (namespace, secret name) -> its resourceVersion, "" when it does not exist.
Revision = Callable[[str, str], str]
#: key -> a Future of the drift check started for it (re-reads the resource and reconciles).
Check = Callable[[Key], "Future[object]"]


@dataclass
class Entry:
    attempt: int
    delay_s: float
    #: None: Stalled, only a change wakes it.
    due: float | None
    #: Secret name -> resourceVersion seen before the run that failed.
    secrets: dict[str, str] = field(default_factory=dict)
    #: When it was registered as Stalled (clock time): past ``slow_after_s`` it is polled slowly.
    stalled_at: float | None = None


#: (namespace, Secret name): a Secret as the poll sees it, shared by the resources that use it.
SecretKey = tuple[str, str]


class Scheduler:
    def __init__(self, wake: Wake, revision: Revision, *, poll_s: float = 1.0,
                 clock: Callable[[], float] = time.monotonic, check: Check | None = None,
                 drift_interval_s: float = 300.0, drift_parallel: int = 1,
                 owns: Callable[[Key], bool] = lambda key: True,
                 takeover_parallel: int | None = None, poll_budget: int = 50,
                 slow_after_s: float = 300.0, slow_poll_s: float = 30.0) -> None:
        self._wake = wake
        self._owns = owns
        self._revision = revision
        self._check = check
        self._drift_interval_s = drift_interval_s
        self._drift_parallel = max(1, drift_parallel)
        #: Checks of keys that moved here (:meth:`check_now`) may use more threads than the
        #: periodic ones: a lost replica's share is waiting for them.
        self._takeover_parallel = max(self._drift_parallel, takeover_parallel or 0)
        self._urgent: set[Key] = set()
        #: key -> when its next drift check is due (only with ``check``).
        self._drift: dict[Key, float] = {}
        self._checking: set[Key] = set()
        #: When the loop wakes up next by itself: an earlier drift due nudges it.
        self._wakes_at = 0.0
        self._poll_s = poll_s
        self._clock = clock
        self._entries: dict[Key, Entry] = {}
        self._requests: dict[Key, str] = {}
        #: Secret GETs per pass at most; the rest wait for the next pass.
        self._poll_budget = max(1, poll_budget)
        self._slow_after_s = slow_after_s
        self._slow_poll_s = max(poll_s, slow_poll_s)
        #: (namespace, Secret) -> when the poll last read it (clock time).
        self._polled: dict[SecretKey, float] = {}
        self._lock = threading.Lock()
        self._nudge = threading.Event()
        self._last_error = ""
        #: The last pass met trouble: pause a poll period instead of spinning on requests.
        self._failing = False

    # ---------------------------------------------------------------- called by handlers

    def attempt(self, key: Key) -> int:
        """How many runs in a row failed transiently (0 when not retrying)."""
        with self._lock:
            entry = self._entries.get(key)
            return entry.attempt if entry and entry.due is not None else 0

    def retry(self, key: Key, delay_s: float, secrets: Mapping[str, str]) -> None:
        """A run failed transiently: wake it after ``delay_s`` or when a Secret changes."""
        with self._lock:
            self._entries[key] = Entry(self.attempt_unlocked(key) + 1, delay_s,
                                       self._clock() + delay_s, dict(secrets))
        self._nudge.set()

    def stalled(self, key: Key, secrets: Mapping[str, str]) -> None:
        """A run needs a change: only a change of one of its Secrets wakes it."""
        with self._lock:
            self._entries[key] = Entry(0, 0.0, None, dict(secrets), stalled_at=self._clock())

    def forget(self, key: Key) -> None:
        """The resource is done retrying (Ready, suspended): its drift schedule stays."""
        with self._lock:
            self._entries.pop(key, None)
            self._requests.pop(key, None)

    def watch(self, key: Key) -> None:
        """The resource exists: drift-check it one interval from now, unless already scheduled."""
        if self._check is None:
            return
        with self._lock:
            if key in self._drift:
                return
            due = self._drift[key] = self._clock() + self._drift_interval_s
        self._nudge_before(due)

    def checked(self, key: Key) -> None:
        """A run just verified the resource: its next drift check is one interval from now."""
        if self._check is None:
            return
        with self._lock:
            due = self._drift[key] = self._clock() + self._drift_interval_s
        self._nudge_before(due)

    def check_now(self, key: Key) -> None:
        """The resource moved to this replica: check it at the next pass (it re-reads the
        resource and reconciles what its previous owner left undone)."""
        if self._check is None:
            return
        with self._lock:
            self._drift[key] = self._clock()
            self._urgent.add(key)
        self._nudge.set()

    def release(self, key: Key) -> None:
        """The resource moved to another replica: its retries are that replica's now; the key
        stays known (with its drift due) in case it comes back."""
        with self._lock:
            self._entries.pop(key, None)
            self._requests.pop(key, None)

    def _nudge_before(self, due: float) -> None:
        if due < self._wakes_at:
            self._nudge.set()

    def gone(self, key: Key) -> None:
        """The resource was deleted: no retry, no wake, no drift check."""
        with self._lock:
            self._entries.pop(key, None)
            self._requests.pop(key, None)
            self._drift.pop(key, None)
            self._urgent.discard(key)

    def drift_due(self) -> dict[Key, float]:
        with self._lock:
            return dict(self._drift)

    def wake_soon(self, key: Key, revision: str) -> None:
        """Bump the resource's trigger annotation now, retried until the API server takes it."""
        with self._lock:
            self._requests[key] = revision
        self._nudge.set()

    def tracked(self) -> set[Key]:
        with self._lock:
            return set(self._entries)

    def attempt_unlocked(self, key: Key) -> int:
        entry = self._entries.get(key)
        return entry.attempt if entry and entry.due is not None else 0

    # ---------------------------------------------------------------- the loop

    def tick(self) -> None:
        """One pass: wake what is due or whose Secrets changed; send pending requests."""
        now = self._clock()
        self._failing = False
        with self._lock:
            entries = {k: (e.due, dict(e.secrets)) for k, e in self._entries.items()}
            requests = dict(self._requests)
        for key in [k for k in requests if not self._owns(k)]:
            # Woken by a ConfigMap event seen by every replica: the owner wakes it.
            del requests[key]
            with self._lock:
                self._requests.pop(key, None)
        for key, (due, _secrets) in entries.items():
            if key not in requests and self._owns(key) and due is not None and now >= due:
                requests[key] = f"retry@{time.time():.3f}"
        self._poll_secrets(now, requests)
        self._start_checks(now)
        for key, revision in requests.items():
            if self._guarded(functools.partial(self._wake, key[0], key[1], revision)) is None:
                with self._lock:
                    self._requests[key] = revision  # the API server is away: try again
                continue
            with self._lock:
                if self._requests.get(key) == revision:
                    del self._requests[key]
                entry = self._entries.get(key)
                if entry is not None and entry.due is not None:
                    # A watchdog: if the update event never comes, wake it again.
                    entry.due = self._clock() + max(entry.delay_s, self._poll_s)

    def _poll_plan(self, now: float, skip: Mapping[Key, str] | None = None
                   ) -> dict[SecretKey, tuple[float, list[tuple[Key, str]]]]:
        """(namespace, Secret) -> (when it is due for a read, [(resource, revision seen)]) over
        the owned entries not already being woken.  Due at once when one of its users is
        retrying or Stalled recently; else ``slow_poll_s`` after its last read."""
        plan: dict[SecretKey, tuple[float, list[tuple[Key, str]]]] = {}
        with self._lock:
            items = [(k, e.secrets.copy(), e.stalled_at) for k, e in self._entries.items()]
            polled = dict(self._polled)
        for key, secrets, stalled_at in items:
            if (skip is not None and key in skip) or not secrets or not self._owns(key):
                continue
            slow = stalled_at is not None and now - stalled_at >= self._slow_after_s
            for secret, seen in secrets.items():
                group = (key[0], secret)
                last = polled.get(group)
                due = now if last is None or not slow else last + self._slow_poll_s
                if group in plan:
                    earlier, users = plan[group]
                    users.append((key, seen))
                    plan[group] = (min(earlier, due), users)
                else:
                    plan[group] = (due, [(key, seen)])
        return plan

    def _poll_secrets(self, now: float, requests: dict[Key, str]) -> None:
        """Read each due Secret once, least recently read first, at most ``poll_budget`` of
        them; a resource whose Secret changed is woken (added to ``requests``)."""
        plan = self._poll_plan(now, requests)
        with self._lock:
            # Forget Secrets no resource polls any more (the map stays as small as the plan).
            self._polled = {g: t for g, t in self._polled.items() if g in plan}
            polled = dict(self._polled)
        due = sorted((polled.get(g, float("-inf")), g) for g, (t, _) in plan.items() if t <= now)
        for _, group in due[:self._poll_budget]:
            current = self._guarded(functools.partial(self._revision, *group))
            if not isinstance(current, str):
                break  # the API server is away: the rest waits for the next pass
            with self._lock:
                self._polled[group] = now
            for key, seen in plan[group][1]:
                if current == seen or key in requests:
                    continue
                requests[key] = f"Secret/{group[1]}@{current or 'deleted'}"
                with self._lock:
                    entry = self._entries.get(key)
                    if entry is not None and group[1] in entry.secrets:
                        entry.secrets[group[1]] = current

    def _start_checks(self, now: float) -> None:
        """Hand due drift checks to ``check``; one owned by the retry schedule is skipped."""
        if self._check is None:
            return
        with self._lock:
            free = self._drift_parallel - len(self._checking)
            free_urgent = self._takeover_parallel - len(self._checking)
            # Taken-over keys first, then the most overdue.
            due = sorted((k not in self._urgent, t, k) for k, t in self._drift.items()
                         if t <= now and k not in self._checking)
            start = []
            for _, _, key in due:
                room = free_urgent if key in self._urgent else free
                # Retrying or Stalled: the retry schedule wakes it; check again an interval on.
                # Another replica's: it checks it; this one looks again an interval on (the
                # key may be this replica's by then).
                if key in self._entries or key in self._requests or room <= 0 \
                        or not self._owns(key):
                    if room > 0:
                        self._drift[key] = now + self._drift_interval_s
                        self._urgent.discard(key)
                    continue
                free -= 1
                free_urgent -= 1
                self._urgent.discard(key)
                self._checking.add(key)
                self._drift[key] = now + self._drift_interval_s
                start.append(key)
        for key in start:
            try:
                future = self._check(key)
            except Exception:  # e.g. the pool is shut down: try again at the next interval
                log.exception("cannot start the drift check of %s/%s", *key)
                self._check_finished(key)
                continue
            future.add_done_callback(functools.partial(self._check_finished, key))

    def _check_finished(self, key: Key, future: Future[object] | None = None) -> None:
        error = future.exception() if future is not None and not future.cancelled() else None
        if error is not None:  # a bug: the check maps what it expects to log lines itself
            log.error("drift check of %s/%s failed", *key, exc_info=error)
        with self._lock:
            self._checking.discard(key)
        self._nudge.set()

    def _guarded(self, call: Callable[[], object]) -> object | None:
        """Run ``call``; on trouble log one line per distinct error (no traceback), return None.

        Right after an API server restart, RBAC or the CRD may not be served yet (403, 404):
        that heals too, so everything is retried on the next pass."""
        try:
            result = call()
        except Exception as exc:
            if isinstance(exc, KubeUnavailable):
                line = str(exc)
            elif isinstance(exc, ApiException):
                line = f"HTTP {exc.status} {exc.reason}"
            else:
                line = f"{type(exc).__name__}: {' '.join(str(exc).split())[:240]}"
            if line != self._last_error:
                log.warning("KubernetesUnavailable: %s", line)
                self._last_error = line
            self._failing = True
            return None
        self._last_error = ""
        return result if result is not None else True

    def next_delay(self) -> float:
        now = self._clock()
        with self._lock:
            if self._requests and not self._failing:
                return 0.0
            if self._failing:
                return self._poll_s
            dues = [e.due - now for e in self._entries.values() if e.due is not None]
            if len(self._checking) < self._drift_parallel:
                dues.extend(t - now for k, t in self._drift.items() if k not in self._checking)
            elif self._urgent and len(self._checking) < self._takeover_parallel:
                dues.append(0.0)
        # Secrets due now (or left over by the budget) are read at the next pass, a poll
        # period on; slowly polled ones when their time comes.
        dues.extend(max(self._poll_s, t - now) for t, _ in self._poll_plan(now).values())
        return max(0.0, min([*dues, 30.0]))

    def run(self, stop: threading.Event) -> None:
        while not stop.is_set():
            try:
                self.tick()
            except Exception:  # the loop must survive anything; a bug is logged once per tick
                log.exception("retry scheduler pass failed")
            delay = self.next_delay()
            self._wakes_at = self._clock() + delay
            self._nudge.wait(delay)
            self._nudge.clear()

    def start(self) -> threading.Event:
        stop = threading.Event()
        threading.Thread(target=self.run, args=(stop,), name="db-migrate-retries",
                         daemon=True).start()
        return stop
