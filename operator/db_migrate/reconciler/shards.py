"""Replicas share the work: each DatabaseMigration belongs to exactly one live member.

Membership: every replica holds a Lease of its own (:mod:`leases`), renewed every
``renew_s``; the live members are the Leases with the operator's labels whose
``renewTime + leaseDurationSeconds`` is still ahead, plus the replica itself.  There is no
leader and no StatefulSet ordinal: a replica that starts joins, one that stops deletes its
Lease, one that dies expires, and every replica recomputes the same assignment by itself.

Assignment: rendezvous (highest-random-weight) hashing of ``namespace/name`` over the member
identities.  Each member scores the key with a stable hash; the highest score owns it.  When a
member joins it takes about 1/n of the keys, from every other member; when one leaves only its
own keys move.  The hash is blake2b, not :func:`hash`, which differs between processes.

During a hand-off two replicas may briefly both believe they own a key (one has not yet seen
the change): the engine's advisory lock serialises their runs on the database and status
writes are conditional on the resourceVersion, so the overlap costs work, never a double apply.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import re
import socket
import threading
import time
from collections.abc import Callable, Iterable, Sequence

from db_migrate.reconciler.kube import KubeUnavailable
from db_migrate.reconciler.leases import LeaseForbidden, LeaseRecord, Leases

log = logging.getLogger(__name__)

Key = tuple[str, str]
#: Called with (keys this replica now owns and did not, keys it owned and no longer does).
OnChange = Callable[[set[Key], set[Key]], None]
#: Called after every pass with (live members, keys this replica owns): the shard gauges.
Report = Callable[[int, int], None]

#: The label every member Lease carries (``kubectl get leases -l ...=true``).
MEMBER_LABEL = "migrations.es1.dev/operator-member"
#: The watch scope of the replicas: only replicas watching the same namespaces share keys (a
#: namespaced install next to a cluster-wide one must not take its keys).
SCOPE_LABEL = "migrations.es1.dev/operator-scope"


def score(member: str, key: str) -> int:
    digest = hashlib.blake2b(f"{member}\n{key}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big")


def owner(key: str, members: Sequence[str]) -> str:
    """The member that owns ``key`` (ties, which a 64-bit hash makes rare, go to the name)."""
    return max(members, key=lambda m: (score(m, key), m))


def key_text(namespace: str, name: str) -> str:
    return f"{namespace}/{name}"


def identity() -> str:
    """``POD_NAME`` (the Deployment sets it from the downward API), else hostname and pid, so
    several processes on one machine are several members."""
    return os.environ.get("POD_NAME") or f"{socket.gethostname()}-{os.getpid()}"


def lease_name(member: str) -> str:
    """A DNS-1123 name for the member's Lease, recognisably the operator's."""
    name = re.sub(r"[^a-z0-9.-]+", "-", member.lower()).strip("-.") or "member"
    if not name.startswith("db-migrate"):
        name = f"db-migrate-{name}"
    if len(name) > 253:
        name = f"{name[:236]}-{hashlib.blake2b(member.encode(), digest_size=8).hexdigest()}"
    return name


def scope_label(namespaces: Iterable[str]) -> str:
    """The scope label's value: ``all`` for the cluster-wide install, else a digest of the
    watched namespaces (a label value holds at most 63 characters)."""
    names = sorted(set(namespaces))
    if not names:
        return "all"
    return "ns-" + hashlib.blake2b(",".join(names).encode(), digest_size=10).hexdigest()


class Membership:
    """This replica's Lease, the live members, and which keys this replica owns."""

    def __init__(self, member: str, leases: Leases, *, scope: str = "all",
                 duration_s: float = 10.0, renew_s: float = 2.0,
                 clock: Callable[[], float] = time.time,
                 keys: Callable[[], Iterable[Key]] = lambda: (),
                 on_change: OnChange | None = None, report: Report | None = None) -> None:
        self.member = member
        self.lease = lease_name(member)
        self.leases = leases
        self.scope = scope
        self.duration_s = duration_s
        self.renew_s = renew_s
        self.clock = clock
        self.keys = keys
        self.on_change = on_change
        self.report = report
        #: No Lease permission: this replica owns every key (one line says so).
        self.standalone = False
        #: The peers' Leases last listed: a failed listing keeps judging them by their expiry,
        #: so a replica cut off from the API server ends up owning everything (safe: the lock).
        self._peers: list[LeaseRecord] = []
        self._members: tuple[str, ...] = (member,)
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._last_error = ""
        #: When the first live peer's Lease runs out, unless renewed: the next pass is then.
        self._next_expiry = float("inf")

    # ------------------------------------------------------------------ reading

    def members(self) -> tuple[str, ...]:
        with self._lock:
            return self._members

    def owns(self, namespace: str, name: str) -> bool:
        if self.standalone:
            return True
        members = self.members()
        return len(members) == 1 or owner(key_text(namespace, name), members) == self.member

    def owned(self, keys: Iterable[Key]) -> set[Key]:
        return {k for k in keys if self.owns(*k)}

    # ------------------------------------------------------------------ one pass

    def renew(self) -> None:
        """Renew our Lease, list the members, and report keys that changed hands."""
        self._renew()
        if self.report is not None:
            keys = list(self.keys())
            self.report(len(self.members()), len(self.owned(keys)))

    def _renew(self) -> None:
        if self.standalone:
            return
        now = self.clock()
        labels = {MEMBER_LABEL: "true", SCOPE_LABEL: self.scope}
        try:
            self.leases.put(LeaseRecord(self.lease, self.member, now, self.duration_s), labels)
            listed = self.leases.list(f"{MEMBER_LABEL}=true,{SCOPE_LABEL}={self.scope}")
        except LeaseForbidden as exc:
            log.warning("running standalone (owns every resource): no permission for Leases "
                        "(%s); grant get, create, update, list, delete on leases to share the "
                        "work between replicas", exc)
            self._become(standalone=True)
            return
        except Exception as exc:  # transport trouble: judge the peers by what we saw last
            line = str(exc) if isinstance(exc, KubeUnavailable) else f"{type(exc).__name__}: {exc}"
            if line != self._last_error:
                log.warning("KubernetesUnavailable: cannot renew the member Lease: %s", line)
                self._last_error = line
        else:
            self._last_error = ""
            self._peers = [r for r in listed if r.holder != self.member]
            self._collect(listed, now)
        self._update(now)

    def _collect(self, listed: Sequence[LeaseRecord], now: float) -> None:
        """Delete Leases expired long ago: a killed process never deletes its own."""
        horizon = max(60.0, 10 * self.duration_s)
        for record in listed:
            if record.holder != self.member and record.expires_at() + horizon < now:
                # Someone else did, or it failed: the next pass tries again.
                with contextlib.suppress(Exception):
                    self.leases.delete(record.name)

    def _update(self, now: float) -> None:
        live = {r.holder for r in self._peers if r.expires_at() > now}
        expiries = [r.expires_at() for r in self._peers if r.expires_at() > now]
        self._next_expiry = min(expiries, default=float("inf"))
        self._set_members(tuple(sorted(live | {self.member})))

    def _set_members(self, members: tuple[str, ...]) -> None:
        before = self.members()
        if members == before:
            return
        keys = list(self.keys())
        owned_before = self.owned(keys)
        with self._lock:
            self._members = members
        owned_after = self.owned(keys)
        log.info("shard members: %s (this replica: %s, owns %d of %d resources)",
                 ", ".join(members), self.member, len(owned_after), len(keys))
        if self.on_change is not None:
            self.on_change(owned_after - owned_before, owned_before - owned_after)

    def _become(self, *, standalone: bool) -> None:
        keys = list(self.keys())
        owned_before = self.owned(keys)
        self.standalone = standalone
        with self._lock:
            self._members = (self.member,)
        if self.on_change is not None:
            self.on_change(set(keys) - owned_before, set())

    # ------------------------------------------------------------------ the loop

    def start(self) -> None:
        """The first pass now (so ownership is known before the first event), then a thread
        (standalone too: it keeps the gauges current)."""
        self.renew()
        self._thread = threading.Thread(target=self._run, name="db-migrate-lease", daemon=True)
        self._thread.start()

    def next_pass_in(self) -> float:
        """Seconds to the next pass: one renewal period, or less when a peer's Lease runs out
        sooner (a killed peer's share then moves at its expiry, not up to a period later)."""
        until_expiry = self._next_expiry - self.clock() + 0.05
        return max(0.05, min(self.renew_s, until_expiry))

    def _run(self) -> None:
        while not self._stop.wait(self.next_pass_in()):
            try:
                self.renew()
            except Exception:  # the loop must survive anything (a bug in a callback)
                log.exception("member Lease pass failed")

    def stop(self) -> None:
        """Stop renewing and delete our Lease: peers take our keys at their next pass."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=self.renew_s + 5)
        if self.standalone:
            return
        try:
            self.leases.delete(self.lease)
        except Exception as exc:  # it expires by itself within one duration
            log.warning("cannot delete the member Lease %s: %s", self.lease, exc)
