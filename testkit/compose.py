"""The seed's Compose flow, run for real: ``docker compose`` against podman, in a namespace of ours.

``docker compose -f docker-compose.yml -f docker-compose.db-migrate.yml run --rm db-migrate`` is
run exactly as the README says, by the real ``docker`` CLI and the compose v2 plugin (built from
Go modules by ``tools/compose/build``), talking to ``podman system service``'s Docker-compatible
API over a unix socket. No Docker daemon and no registry: the images come from
:mod:`testkit.images`.

Host safety. Compose creates a bridge network, firewall rules and published ports. The podman
service therefore runs inside a network namespace (and a private mount namespace) held by a
``sleep`` process this module starts; the bridge, its iptables rules, aardvark-dns and the ports
published on ``127.0.0.1`` exist only there, and vanish with the namespace. The namespace has
only ``lo``: no route anywhere. The service keeps its own container database and volumes
(``.dev/compose/``) but shares the image store, so the images built once are visible.

Healthchecks. With no systemd, podman runs no healthcheck timers, so ``depends_on: condition:
service_healthy`` would wait forever. A ticker process runs ``podman healthcheck run`` every
2 s for each running container that has a healthcheck, as systemd's timer would.

    scripts/compose up | down | status
    scripts/compose run [ARGS...]     # = docker compose -f ... -f ... run --rm db-migrate ARGS
    scripts/compose docker [ARGS...]  # any docker command against the namespaced service

State: ``.dev/compose/state.json`` (``DB_MIGRATE_DEV_DIR``).
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from testkit import images
from testkit.controlplane import dev_dir

ROOT = images.ROOT
COMPOSE_FILES = ("docker-compose.yml", "docker-compose.db-migrate.yml")
TICK_SECONDS = 2.0
START_TIMEOUT = 60.0


class ComposeError(RuntimeError):
    """A prerequisite is missing or a step failed; the message says which."""


def _say(message: str) -> None:
    print(f"[compose] {message}", file=sys.stderr, flush=True)


@dataclass
class State:
    name: str
    holder: int
    service: int
    ticker: int
    socket: str
    docker_config: str
    created_dirs: list[str]

    @property
    def docker_host(self) -> str:
        return f"unix://{self.socket}"


def home() -> Path:
    return dev_dir() / "compose"


def name() -> str:
    """Derived from the dev dir, so two checkouts on one machine never share a project/namespace."""
    return "dbm-" + hashlib.sha256(str(dev_dir()).encode()).hexdigest()[:8]


def _state_path() -> Path:
    return home() / "state.json"


def load_state() -> State | None:
    path = _state_path()
    if not path.is_file():
        return None
    return State(**json.loads(path.read_text()))


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as handle:
            # A zombie waiting for PID 1 to reap it is stopped.
            return handle.read().rsplit(")", 1)[1].split()[0] != "Z"
    except (FileNotFoundError, IndexError):
        return False


def running() -> State | None:
    state = load_state()
    if state and _alive(state.holder) and _alive(state.service):
        return state
    return None


# ---------------------------------------------------------------------------------------------
# Prerequisites: the docker CLI and the compose plugin


def docker_argv(state: State, *args: str) -> list[str]:
    """``docker ARGS``; without a docker CLI, ``docker compose ...`` runs the plugin binary directly
    (compose v2 works standalone as ``docker-compose``). The docker CLI itself does not build from
    Go modules through every proxy (github.com/docker/cli needs modules some proxies refuse)."""
    if shutil.which("docker"):
        return ["docker", *args]
    if args and args[0] == "compose":
        return [str(Path(state.docker_config) / "cli-plugins" / "docker-compose"), *args[1:]]
    raise ComposeError(f"`docker {' '.join(args[:2])}` needs the docker CLI, which is not installed")


def _ping(sock: Path) -> str | None:
    """The API's version from ``GET /version`` on the socket, or None if it does not answer."""
    try:
        with socket.socket(socket.AF_UNIX) as conn:
            conn.settimeout(2)
            conn.connect(str(sock))
            conn.sendall(b"GET /version HTTP/1.0\r\nHost: d\r\n\r\n")
            data = b""
            while chunk := conn.recv(65536):
                data += chunk
    except OSError:
        return None
    head, _, body = data.partition(b"\r\n\r\n")
    if b" 200 " not in head.split(b"\r\n", 1)[0]:
        return None
    return str(json.loads(body).get("Version", "?"))


def compose_plugin() -> Path:
    """Build (once, cached by content) the compose v2 plugin from Go modules."""
    result = subprocess.run([str(ROOT / "tools" / "compose" / "build")], stdout=subprocess.PIPE,
                            text=True, check=False)
    if result.returncode != 0:
        raise ComposeError("tools/compose/build failed (see above); it needs Go >= 1.24")
    return Path(result.stdout.strip())


def prerequisites() -> list[str]:
    """What is missing on this machine for the Compose flow (empty: nothing)."""
    missing = []
    if os.geteuid() != 0:
        missing.append("root (podman service with its own network namespace)")
    for tool in ("podman", "unshare", "nsenter", "iptables"):
        if shutil.which(tool) is None:
            missing.append(tool)
    plugin = subprocess.run([str(ROOT / "tools" / "compose" / "build"), "--print"],
                            capture_output=True, text=True, check=False).stdout.strip()
    if not (Path(plugin).parent / ".complete").is_file() and shutil.which("go") is None:
        missing.append("go >= 1.24 (to build the compose plugin)")
    for helper in ("netavark", "aardvark-dns"):
        if not any(Path(d, helper).exists() for d in ("/usr/lib/podman", "/usr/libexec/podman")):
            missing.append(f"{helper} (apt-get install {helper})")
    return missing


# ---------------------------------------------------------------------------------------------
# The namespaced podman service


def _service_conf(state_home: Path) -> dict[str, str]:
    """podman's environment for the namespaced service: a store of its own (containers, volumes,
    its libpod database) under ``.dev/compose/storage``, which reads the shared image store as an
    additional, read-only image store; networks and runtime files are its own too.

    A second libpod database over the shared graphroot does not work: conmon's exit command
    (``podman --root GRAPHROOT container cleanup``) always opens GRAPHROOT/libpod.
    """
    env = images.podman_env()
    run = images.runroot() / name()[4:]
    storage = state_home / "storage"
    storage_conf = state_home / "storage.conf"
    conf = state_home / "containers.conf"
    storage_conf.write_text(f"""# Written by testkit.compose; do not edit.
[storage]
driver = "overlay"
graphroot = "{storage}"
runroot = "{run}/storage"

[storage.options]
additionalimagestores = ["{images.podman_dir()}/storage"]
""")
    conmon_env = [
        "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
        f"CONTAINERS_CONF={conf}",
        f"CONTAINERS_STORAGE_CONF={storage_conf}",
        f"CONTAINERS_REGISTRIES_CONF={env['CONTAINERS_REGISTRIES_CONF']}",
    ]
    conf.write_text(f"""# Written by testkit.compose; do not edit.
[containers]
default_ulimits = ["nofile=20000:20000", "nproc=32768:32768"]

[engine]
tmp_dir = "{run}/libpod"
events_logger = "file"
events_logfile_path = "{run}/events.log"
cgroup_manager = "cgroupfs"
conmon_env_vars = {json.dumps(conmon_env)}

[network]
network_backend = "netavark"
network_config_dir = "{state_home}/networks"
""")
    env["CONTAINERS_CONF"] = str(conf)
    env["CONTAINERS_STORAGE_CONF"] = str(storage_conf)
    return env


def _in_ns(holder: int, *argv: str) -> list[str]:
    return ["nsenter", "-t", str(holder), "-m", "-n", "--", *argv]


def ns_podman(state: State, *args: str, check: bool = False,
              timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """``podman ARGS`` as the namespaced service sees things (its containers, networks, volumes)."""
    env = _service_conf(home())
    return subprocess.run(_in_ns(state.holder, "podman", *args), env=env, capture_output=True,
                          text=True, check=check, timeout=timeout)


# The holder: a new network namespace with only `lo`, and a mount namespace in which /run/netns
# (where podman bind-mounts each container's network namespace) and /run/containers (netavark's
# and aardvark-dns's state) are private tmpfs mounts: invisible to the host, gone with the holder.
PRIVATE_RUN_DIRS = ("/run/netns", "/run/containers")
_HOLDER = """
set -e
for dir in {dirs}; do mount -t tmpfs -o mode=0755,size=4m tmpfs "$dir"; done
ip link set lo up
echo ready
exec sleep infinity
"""

# The ticker: what systemd's healthcheck timers would do. `podman ps --filter health=...` lists
# only containers that have a healthcheck.
_TICKER = """
while :; do
  for id in $(podman ps -q --filter health=starting --filter health=healthy \\
                            --filter health=unhealthy 2>/dev/null); do
    podman healthcheck run "$id" >/dev/null 2>&1 || true
  done
  sleep {tick}
done
"""


def up() -> State:
    existing = running()
    if existing:
        return existing
    missing = prerequisites()
    if missing:
        raise ComposeError("missing prerequisites: " + ", ".join(missing))
    started = time.monotonic()
    for image in ("operator", "postgres", "pgvector"):
        images.ensure(image)
    plugin = compose_plugin()

    state_home = home()
    state_home.mkdir(parents=True, exist_ok=True)
    docker_config = state_home / "docker-config"
    (docker_config / "cli-plugins").mkdir(parents=True, exist_ok=True)
    link = docker_config / "cli-plugins" / "docker-compose"
    with contextlib.suppress(FileNotFoundError):
        link.unlink()
    link.symlink_to(plugin)
    env = _service_conf(state_home)
    images.runroot().mkdir(parents=True, exist_ok=True)

    # The mount points must exist; the ones created here, teardown removes again (empty).
    created_dirs = [d for d in PRIVATE_RUN_DIRS if not Path(d).exists()]
    for d in PRIVATE_RUN_DIRS:
        Path(d).mkdir(mode=0o755, exist_ok=True)
    logs = state_home / "logs"
    logs.mkdir(exist_ok=True)
    holder = subprocess.Popen(
        ["unshare", "--net", "--mount", "--propagation", "private", "sh", "-c",
         _HOLDER.format(dirs=" ".join(PRIVATE_RUN_DIRS))],
        stdout=subprocess.PIPE, stderr=(logs / "holder.log").open("w"), text=True,
        start_new_session=True,
    )
    assert holder.stdout is not None
    if holder.stdout.readline().strip() != "ready":
        raise ComposeError(f"the namespace holder failed: {(logs / 'holder.log').read_text()}")

    sock = state_home / "podman.sock"
    with contextlib.suppress(FileNotFoundError):
        sock.unlink()
    service = subprocess.Popen(
        _in_ns(holder.pid, "podman", "system", "service", "--time=0", f"unix://{sock}"),
        env=env, stdout=subprocess.DEVNULL, stderr=(logs / "service.log").open("w"),
        start_new_session=True,
    )
    ticker = subprocess.Popen(
        _in_ns(holder.pid, "sh", "-c", _TICKER.format(tick=TICK_SECONDS)),
        env=env, stdout=subprocess.DEVNULL, stderr=(logs / "ticker.log").open("w"),
        start_new_session=True,
    )
    state = State(name(), holder.pid, service.pid, ticker.pid, str(sock), str(docker_config),
                  created_dirs)
    _state_path().write_text(json.dumps(asdict(state), indent=2))
    deadline = time.monotonic() + START_TIMEOUT
    while True:
        version = _ping(sock)
        if version is not None:
            break
        if time.monotonic() > deadline or service.poll() is not None:
            down()
            raise ComposeError(f"podman system service did not answer on {sock} "
                               f"(log: {logs / 'service.log'})")
        time.sleep(0.2)
    _say(f"podman {version} API on {sock}, in namespace of pid {holder.pid} "
         f"(ready in {time.monotonic() - started:.1f} s)")
    return state


def docker_env(state: State) -> dict[str, str]:
    env = dict(os.environ)
    env.update({
        "DOCKER_HOST": state.docker_host,
        "DOCKER_CONFIG": state.docker_config,
        "COMPOSE_PROJECT_NAME": state.name,
        # Plain progress output: no TTY tricks in logs.
        "COMPOSE_PROGRESS": "plain",
        "COMPOSE_ANSI": "never",
        "BUILDX_BUILDER": "",
    })
    return env


def docker(state: State, *args: str, check: bool = True,
           timeout: float = 600) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(docker_argv(state, *args), env=docker_env(state), cwd=ROOT, capture_output=True,
                            text=True, timeout=timeout, check=False)
    if check and result.returncode != 0:
        raise ComposeError(f"docker {' '.join(args)} failed ({result.returncode}):\n"
                           f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return result


def compose_args(*args: str) -> list[str]:
    files = [part for f in COMPOSE_FILES for part in ("-f", f)]
    return ["compose", *files, *args]


def run(state: State, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    """The README's command: ``docker compose -f ... -f ... run --rm db-migrate ARGS``."""
    return docker(state, *compose_args("run", "--rm", "db-migrate", *args), check=check)


def _stop(pid: int, sig: int = signal.SIGTERM, timeout: float = 15) -> None:
    if not _alive(pid):
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, sig)
    deadline = time.monotonic() + timeout
    while _alive(pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    if _alive(pid):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pid, signal.SIGKILL)
        while _alive(pid) and time.monotonic() < deadline + 5:
            time.sleep(0.1)


def down() -> None:
    """Remove the project's containers, volumes and network, then the service and the namespace."""
    state = load_state()
    if state is None:
        return
    if _alive(state.holder) and _alive(state.service):
        result = docker(state, *compose_args("down", "--volumes", "--remove-orphans", "--timeout", "5"),
                        check=False)
        if result.returncode != 0:
            _say(f"compose down: {result.stderr.strip()[-500:]}")
    _stop(state.ticker)
    if _alive(state.holder):
        # Whatever compose did not remove (an interrupted run), removed by podman itself.
        ns_podman(state, "rm", "--all", "--force", "--time", "2")
        ns_podman(state, "volume", "prune", "--force")
        ns_podman(state, "network", "prune", "--force")
    _stop(state.service)
    _stop(state.holder)
    for d in state.created_dirs:
        with contextlib.suppress(OSError):
            Path(d).rmdir()
    state_home = home()
    for sub in ("storage", "networks", "podman.sock"):
        target = state_home / sub
        if target.is_dir():
            shutil.rmtree(target, ignore_errors=True)
        else:
            target.unlink(missing_ok=True)
    shutil.rmtree(images.runroot() / state.name[4:], ignore_errors=True)
    _state_path().unlink(missing_ok=True)
    _say("down: containers, volumes, network, service and namespace removed")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="scripts/compose", description=__doc__.split("\n\n")[0]
                                     if __doc__ else None)
    parser.add_argument("command", choices=["up", "down", "status", "run", "docker"])
    parser.add_argument("args", nargs=argparse.REMAINDER)
    opts = parser.parse_args(argv)
    try:
        if opts.command == "down":
            down()
            return 0
        if opts.command == "status":
            state = running()
            print(json.dumps(asdict(state), indent=2) if state else "not running")
            return 0 if state else 1
        state = up()
        if opts.command == "up":
            print(f"export DOCKER_HOST={state.docker_host} DOCKER_CONFIG={state.docker_config} "
                  f"COMPOSE_PROJECT_NAME={state.name}")
            return 0
        argv_ = compose_args("run", "--rm", "db-migrate", *opts.args) if opts.command == "run" \
            else list(opts.args)
        return subprocess.run(docker_argv(state, *argv_), env=docker_env(state), cwd=ROOT,
                              check=False).returncode
    except ComposeError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
