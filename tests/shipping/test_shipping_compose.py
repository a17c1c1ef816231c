"""docker-compose.yml + docker-compose.db-migrate.yml support the seed README's commands:
`docker compose -f docker-compose.yml -f docker-compose.db-migrate.yml run --rm db-migrate [args]`.

Without a container engine the files are checked as data: against the Compose Specification's
JSON schema (vendored by check-jsonschema) and for what the README's commands rely on. Where the
`docker compose` plugin exists, its own `config` check runs too (it needs no engine).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from tests.shipping.helpers import ROOT, load_one, url_variable

BASE = ROOT / "docker-compose.yml"
OVERRIDE = ROOT / "docker-compose.db-migrate.yml"
DATABASES = {"postgres": "postgres:18", "aiml-postgres": "pgvector/pgvector:pg18"}


def merged() -> dict[str, Any]:
    """The two files merged the way Compose merges -f files for these keys (mappings merge)."""

    def merge(left: Any, right: Any) -> Any:
        if isinstance(left, dict) and isinstance(right, dict):
            out = dict(left)
            for key, value in right.items():
                out[key] = merge(left[key], value) if key in left else value
            return out
        return right

    result: dict[str, Any] = merge(load_one(BASE), load_one(OVERRIDE))
    return result


@pytest.mark.parametrize("path", [BASE, OVERRIDE], ids=lambda p: p.name)
def test_compose_file_satisfies_the_compose_specification(path: Any) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    try:
        schema_text = (
            resources.files("check_jsonschema.builtin_schemas.vendor")
            .joinpath("compose-spec.json")
            .read_text(encoding="utf-8")
        )
    except ModuleNotFoundError:
        pytest.skip("check-jsonschema (which vendors the Compose JSON schema) is not installed")
    schema = json.loads(schema_text)
    # The schema names its own draft (2020-12); validate with that draft's rules.
    validator = jsonschema.validators.validator_for(schema)(schema)
    errors = [
        f"{'.'.join(str(p) for p in error.absolute_path)}: {error.message}"
        for error in validator.iter_errors(load_one(path))
    ]
    assert errors == []


def test_database_services_are_postgres_and_pgvector_with_healthchecks() -> None:
    services = load_one(BASE)["services"]
    assert set(services) == set(DATABASES)
    volumes = load_one(BASE)["volumes"]
    for name, image in DATABASES.items():
        service = services[name]
        assert service["image"] == image
        assert "pg_isready" in " ".join(service["healthcheck"]["test"])
        # PostgreSQL 18 images keep data below /var/lib/postgresql (versioned subdirectory).
        (volume,) = service["volumes"]
        source, target = volume.split(":")
        assert (source in volumes, target) == (True, "/var/lib/postgresql")
        # Published on loopback only.
        assert all(str(port).startswith("127.0.0.1:") for port in service["ports"])


def test_db_migrate_service_runs_the_cli_after_both_databases_are_healthy() -> None:
    services = merged()["services"]
    migrate = services["db-migrate"]
    assert migrate["build"]["dockerfile"] == "Dockerfile"
    assert (ROOT / migrate["build"]["context"] / "Dockerfile").is_file()
    # `run --rm db-migrate --seed=sample` replaces the command only: the entrypoint keeps
    # --all-databases, so the README's variants still cover every database.
    assert migrate["entrypoint"] == ["db-migrate", "--all-databases"]
    assert migrate["command"] == ["--seed=reference"]
    assert migrate["depends_on"] == {name: {"condition": "service_healthy"} for name in DATABASES}
    for name in DATABASES:
        assert name in services
        url = migrate["environment"][url_variable(name)]
        assert url.startswith("postgresql://") and f"@{name}:5432/" in url


def test_db_migrate_urls_match_the_database_credentials() -> None:
    services = merged()["services"]
    for name in DATABASES:
        env = services[name]["environment"]
        url = services["db-migrate"]["environment"][url_variable(name)]
        assert url.startswith(f"postgresql://{env['POSTGRES_USER']}:")
        assert url.endswith(f"/{env['POSTGRES_DB']}")
        # Same password expression (variable and default) on both sides.
        password = env["POSTGRES_PASSWORD"]
        assert f":{password}@" in url


def compose_command() -> list[str] | None:
    """The compose CLI: the plugin tools/compose/build made (it runs standalone), else docker's."""
    built = subprocess.run([str(ROOT / "tools" / "compose" / "build"), "--print"],
                           capture_output=True, text=True, check=False).stdout.strip()
    if built and Path(built).is_file():
        return [built]
    docker = shutil.which("docker")
    if docker and subprocess.run([docker, "compose", "version"], capture_output=True,
                                 timeout=30, check=False).returncode == 0:
        return [docker, "compose"]
    return None


def test_docker_compose_config_accepts_both_files() -> None:
    command = compose_command()
    if command is None:
        pytest.skip("no compose CLI: build it with tools/compose/build")
    result = subprocess.run(
        [*command, "-f", str(BASE), "-f", str(OVERRIDE), "config", "--quiet"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr


def test_db_migrate_service_has_a_url_for_every_migration_set() -> None:
    # --all-databases covers every folder under migrations/; one without its URL variable would
    # be migrated on the CLI's embedded fallback server inside the container.
    environment = merged()["services"]["db-migrate"]["environment"]
    sets = sorted(path.name for path in (ROOT / "migrations").iterdir() if path.is_dir())
    assert sets, "no migration sets under migrations/"
    assert {url_variable(name) for name in sets} <= set(environment)
