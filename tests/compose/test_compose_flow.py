"""The seed's Compose flow, for real: the README's exact ``docker compose`` commands, run by the real
docker CLI and compose plugin against podman (images built locally, no registry), with the
PostgreSQL services gated on their healthchecks, inside a network namespace of the harness's own.
"""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Iterator
from datetime import datetime

import pytest

from testkit import compose, images
from tests.conftest import IN_CI, ROOT

# A cold machine builds the images (about 5 min) and, for Compose, the plugin (about 7 min) in
# the first test's setup: longer than the suite's default per-test timeout.
pytestmark = [pytest.mark.slow, pytest.mark.timeout(1800)]

DATABASES = ("postgres", "aiml-postgres")


def count(pattern: str) -> int:
    return sum(len(list((ROOT / d).glob(pattern))) for d in ("migrations", "seeds"))


MIGRATIONS = count("*/V*.sql")
REFERENCE = count("*/reference/*.sql")
SAMPLE = count("*/sample/*.sql")


def host_snapshot() -> dict[str, str]:
    """What the flow must leave as it found it on the host: firewall rules, links, routes."""

    def out(*argv: str) -> str:
        result = subprocess.run(argv, capture_output=True, text=True, check=False)
        return result.stdout

    # Packet counters change on their own; the rules must not.
    iptables = re.sub(r"\[\d+:\d+\]", "", out("iptables-save"))
    # Other tools on this machine may add links of their own meanwhile: podman's bridges and
    # veths (podmanN, vethN attached to them) are what this flow could leak.
    return {
        "iptables": "\n".join(line for line in iptables.splitlines() if not line.startswith("#")),
        "podman links": " ".join(re.findall(r"^\d+: (podman\d+)", out("ip", "-o", "link", "show"), re.M)),
        "podman routes": "\n".join(line for line in out("ip", "route", "show", "table", "all").splitlines()
                                   if "podman" in line),
        "listeners": " ".join(sorted(re.findall(r"127\.0\.0\.1:543[23]\b", out("ss", "-ltnH")))),
    }


@pytest.fixture(scope="module")
def flow() -> Iterator[tuple[compose.State, dict[str, str]]]:
    missing = images.prerequisites() + compose.prerequisites()
    if missing:
        message = "the Compose flow needs: " + ", ".join(sorted(set(missing)))
        if IN_CI:
            pytest.fail(message + " (.ci/run must install them)")
        pytest.skip(message)
    compose.down()  # a fresh project: no volumes from an earlier run
    before = host_snapshot()
    state = compose.up()
    try:
        yield state, before
    finally:
        compose.down()


def summary(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return result.stdout.rstrip().splitlines()[-1]


def events(state: compose.State) -> list[dict[str, str]]:
    out = compose.ns_podman(state, "events", "--stream=false", "--format", "json", check=True).stdout
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def when(event: dict[str, str]) -> datetime:
    # "2026-01-01T10:00:00.123456789Z": datetime takes microseconds.
    stamp = re.sub(r"(\.\d{6})\d*", r"\1", str(event["Time"])).replace("Z", "+00:00")
    return datetime.fromisoformat(stamp)


def test_first_run_waits_for_both_healthy_databases_then_applies_every_migration(
    flow: tuple[compose.State, dict[str, str]],
) -> None:
    state, _ = flow
    result = compose.run(state, check=False)
    assert summary(result) == f"{MIGRATIONS + REFERENCE} applied, 0 skipped, 0 failed"
    # The gate really waited (podman's own event log, in the namespace): the migrate container
    # started only after the first successful healthcheck (an exec that exited 0) of each
    # database, and each database was still `starting` when its checks began.
    log = events(state)
    project = state.name
    healthy = {}
    for db in DATABASES:
        mine = [e for e in log if e.get("Name") == f"{project}-{db}-1"]
        statuses = [e.get("health_status") for e in mine if e.get("Status") == "health_status"]
        assert statuses and statuses[0] == "starting", statuses
        passed = [when(e) for e in mine
                  if e.get("Status") == "exec_died" and str(e.get("ContainerExitCode") or 0) == "0"]
        assert passed, f"no successful healthcheck of {db}: {mine}"
        healthy[db] = passed[0]
    starts = [when(e) for e in log if e.get("Status") == "start"
              and str(e.get("Name", "")).startswith(f"{project}-db-migrate-run-")]
    assert len(starts) == 1, "one migrate container, started once (no retries)"
    assert starts[0] > max(healthy.values()), (starts, healthy)
    # --rm removed it.
    assert any(e.get("Status") == "remove" and str(e.get("Name", "")).startswith(f"{project}-db-migrate-run-")
               for e in events(state))


def test_second_run_applies_nothing_and_skips_everything(
    flow: tuple[compose.State, dict[str, str]],
) -> None:
    state, _ = flow
    assert summary(compose.run(state, check=False)) == f"0 applied, {MIGRATIONS + REFERENCE} skipped, 0 failed"


def test_seed_sample_adds_only_the_sample_data(flow: tuple[compose.State, dict[str, str]]) -> None:
    state, _ = flow
    result = compose.run(state, "--seed=sample", check=False)
    assert summary(result) == f"{SAMPLE} applied, {MIGRATIONS + REFERENCE} skipped, 0 failed"


def test_dry_run_and_status_report_nothing_pending(flow: tuple[compose.State, dict[str, str]]) -> None:
    state, _ = flow
    dry = compose.run(state, "--dry-run", check=False)
    assert summary(dry) == (f"dry run: 0 would be applied, {MIGRATIONS + REFERENCE} skipped, 0 failed; "
                            "nothing was written")
    status = compose.run(state, "--status", check=False)
    assert status.returncode == 0, status.stderr[-2000:]
    lines = [line.strip() for line in status.stdout.splitlines()]
    for db in DATABASES:
        assert any(line.startswith(f"{db}: ") and ", 0 pending" in line for line in lines), status.stdout


def test_published_ports_and_the_bridge_live_only_in_the_namespace(
    flow: tuple[compose.State, dict[str, str]],
) -> None:
    state, before = flow
    inside = subprocess.run(["nsenter", "-t", str(state.holder), "-n", "ss", "-ltnH"],
                            capture_output=True, text=True, check=True).stdout
    assert "127.0.0.1:5432" in inside and "127.0.0.1:5433" in inside
    assert host_snapshot() == before


def test_down_removes_everything_and_the_host_is_as_before(
    flow: tuple[compose.State, dict[str, str]],
) -> None:
    state, before = flow
    compose.down()
    assert compose.running() is None
    for pid in (state.holder, state.service, state.ticker):
        assert not compose._alive(pid)
    assert not (compose.home() / "storage").exists()
    assert not (images.runroot() / state.name[4:]).exists()
    assert host_snapshot() == before
