"""Asking a server whether it answers: HTTP status probes and the wait for /readyz."""

from __future__ import annotations

import os
import ssl
import time
import urllib.error
import urllib.request

from testkit.controlplane import processes
from testkit.controlplane.errors import ControlPlaneError
from testkit.controlplane.paths import Layout, shown
from testkit.controlplane.pki import tls_context

READY_TIMEOUT_ENV = "DB_MIGRATE_CLUSTER_TIMEOUT"
# Generous because a loaded CI machine can take a while; a warm start is a few seconds.
DEFAULT_READY_TIMEOUT = 120.0


def http_status(url: str, ctx: ssl.SSLContext | None, timeout: float = 2.0) -> int:
    """The HTTP status of GET ``url``, or 0 when nothing answers yet."""
    try:
        with urllib.request.urlopen(url, timeout=timeout, context=ctx) as response:
            return int(response.status)
    except urllib.error.HTTPError as err:
        return int(err.code)
    except (urllib.error.URLError, OSError):
        return 0


def unverified_tls() -> ssl.SSLContext:
    """Enough TLS to ask an external server whether it answers at all (not to trust it)."""
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    return ctx


def ready_timeout() -> float:
    raw = os.environ.get(READY_TIMEOUT_ENV)
    try:
        return float(raw) if raw else DEFAULT_READY_TIMEOUT
    except ValueError:
        return DEFAULT_READY_TIMEOUT


def wait_healthy(
    lay: Layout,
    url: str,
    ctx: ssl.SSLContext | None,
    running: dict[str, processes.Recorded],
    deadline: float,
) -> None:
    """Poll ``url`` until it answers 200, failing fast when a server process dies."""
    while True:
        for binary, (pid, argv) in running.items():
            if not processes.is_ours(pid, argv):
                raise ControlPlaneError(f"{binary} exited while starting; see {shown(lay.log(binary))}")
        if http_status(url, ctx) == 200:
            return
        if time.monotonic() >= deadline:
            raise ControlPlaneError(f"{url} did not answer 200 in time; see the logs in {shown(lay.logs)}/")
        time.sleep(0.05)


def wait_ready(lay: Layout, server: str, running: dict[str, processes.Recorded], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    wait_healthy(lay, f"{server}/readyz", tls_context(lay.pki), running, deadline)
