"""A real, local Kubernetes control plane: the official etcd and kube-apiserver as plain processes.

The operator must be tested against a real API server (CRD schema validation, the status
subresource, watches, RBAC, ServiceAccount tokens), but there is no container engine here,
so kind cannot run. Like controller-runtime's envtest we run the official binaries directly;
they are built from Go modules by ``tools/controlplane/build`` and cached outside the repository.

There is no kubelet, scheduler or controller-manager: nothing runs pods, garbage collection and
the namespace controller do not run, so namespaces never finish terminating. Everything that
lives inside kube-apiserver itself (CRDs, validation, admission, RBAC, TokenRequest, watches) is
exactly what a cluster has.

``scripts/cluster up|down|status`` and the pytest fixtures both go through :func:`up`,
:func:`down` and :func:`status`. State lives under ``.dev/`` (``DB_MIGRATE_DEV_DIR``)::

    .dev/kubeconfig                     admin kubeconfig (system:masters)
    .dev/cluster/state.json             recorded PIDs, ports and the bin dir
    .dev/cluster/pki/                   CA, serving cert, admin client cert, SA signing key
    .dev/cluster/etcd/                  etcd data (--unsafe-no-fsync: throwaway by design)
    .dev/cluster/logs/                  etcd.log, kube-apiserver.log
    .dev/cluster/serviceaccounts/       kubeconfigs made by serviceaccount_kubeconfig()

If ``DB_MIGRATE_KUBECONFIG`` names the kubeconfig of an existing cluster (kind, k3d, a dev
cluster), that cluster is used instead and nothing is built or started.
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import json
import os
import secrets
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

KUBECONFIG_ENV = "DB_MIGRATE_KUBECONFIG"
DEV_DIR_ENV = "DB_MIGRATE_DEV_DIR"
READY_TIMEOUT_ENV = "DB_MIGRATE_CLUSTER_TIMEOUT"
# Extra kube-apiserver flags, whitespace-separated (e.g. "--v=4" or "--feature-gates=..."),
# appended last so they override the defaults.
APISERVER_ARGS_ENV = "DB_MIGRATE_APISERVER_ARGS"

# Generous because a loaded CI machine can take a while; a warm start is a few seconds.
DEFAULT_READY_TIMEOUT = 120.0
STOP_TIMEOUT = 10.0
# Who started the cluster: a person keeps it until `down`; test sessions share it and
# the last one to finish stops it.
PERSON_OWNER = "person"
SESSION_OWNER = "session"
# Free ports are picked, then bound by the servers a moment later; another process can
# take one in between, so a start that failed on a taken port is retried.
PORT_ATTEMPTS = 3
CONTEXT_NAME = "db-migrate-local"
ADMIN_USER = "db-migrate-admin"
ETCD = "etcd"
APISERVER = "kube-apiserver"


class ControlPlaneError(RuntimeError):
    """A one-sentence failure meant for a human; ``scripts/cluster`` prints it as is."""


# --------------------------------------------------------------------------- locations


def repo_root() -> Path:
    """The repository holding ``tools/controlplane``: found from this file, else from the cwd."""
    here = Path(__file__).resolve()
    # operator/db_migrate/testing/controlplane.py -> the repo is three levels above the package.
    candidates = [here.parents[3], Path.cwd(), *Path.cwd().parents]
    for candidate in candidates:
        if (candidate / "tools" / "controlplane" / "go.mod").is_file():
            return candidate
    raise ControlPlaneError(
        "cannot find the db-migrate repository (tools/controlplane/go.mod) above "
        f"{here.parent} or the current directory"
    )


def dev_dir() -> Path:
    override = os.environ.get(DEV_DIR_ENV)
    if override:
        return Path(override).resolve()
    return repo_root() / ".dev"


@dataclass(frozen=True)
class Layout:
    """Where every piece of local state lives, derived from the dev dir."""

    dev: Path

    @property
    def cluster(self) -> Path:
        return self.dev / "cluster"

    @property
    def kubeconfig(self) -> Path:
        return self.dev / "kubeconfig"

    @property
    def node(self) -> Path:
        # The local node's state (db_migrate.testing.node), beside cluster/ so that
        # _wipe() of the control plane never removes it while the node still runs.
        return self.dev / "node"

    @property
    def lock(self) -> Path:
        # Outside cluster/ because `down` removes that whole directory while holding the lock.
        return self.dev / "cluster.lock"

    @property
    def state(self) -> Path:
        return self.cluster / "state.json"

    @property
    def pki(self) -> Path:
        return self.cluster / "pki"

    @property
    def etcd_data(self) -> Path:
        return self.cluster / "etcd"

    @property
    def logs(self) -> Path:
        return self.cluster / "logs"

    @property
    def serviceaccounts(self) -> Path:
        return self.cluster / "serviceaccounts"

    @property
    def sessions(self) -> Path:
        return self.cluster / "sessions"

    def log(self, process: str) -> Path:
        return self.logs / f"{process}.log"


def layout(dev: Path | None = None) -> Layout:
    """The layout of ``dev`` (a dev dir), by default the one ``DB_MIGRATE_DEV_DIR`` names."""
    return Layout(dev.resolve() if dev is not None else dev_dir())


def _shown(path: Path) -> str:
    """A path as a human would type it: relative to the cwd when it is below it."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


# --------------------------------------------------------------------------- the result


@dataclass(frozen=True)
class ControlPlane:
    """A reachable API server: what tests, the demo and kubectl need to talk to it."""

    kubeconfig: Path
    server: str
    kubectl_path: Path | None
    external: bool = False
    # True when this call started the processes rather than finding them running.
    started: bool = field(default=False, compare=False)

    def kubectl(
        self,
        *args: str,
        input: str | None = None,
        check: bool = True,
        timeout: float = 60.0,
    ) -> subprocess.CompletedProcess[str]:
        """Run kubectl against this control plane; with ``check`` a failure raises with stderr."""
        if self.kubectl_path is None:
            raise ControlPlaneError(
                "no kubectl is available: put one on PATH, or unset "
                f"{KUBECONFIG_ENV} to use the locally built one"
            )
        argv = [str(self.kubectl_path), f"--kubeconfig={self.kubeconfig}", *args]
        result = subprocess.run(
            argv, input=input, text=True, capture_output=True, timeout=timeout, check=False
        )
        if check and result.returncode != 0:
            raise ControlPlaneError(
                f"kubectl {' '.join(args)} exited {result.returncode}: {result.stderr.strip()}"
            )
        return result

    def api_client(self) -> Any:
        """A ``kubernetes.client.ApiClient`` for this control plane."""
        return api_client_for(self.kubeconfig)


def api_client_for(kubeconfig: Path) -> Any:
    """A ``kubernetes.client.ApiClient`` for any kubeconfig (the package is imported lazily)."""
    from kubernetes import config

    return config.new_client_from_config(  # type: ignore[no-untyped-call]
        config_file=str(kubeconfig)
    )


@dataclass(frozen=True)
class Status:
    up: bool
    external: bool
    kubeconfig: Path
    server: str | None
    pids: dict[str, int]
    logs: Path | None

    def describe(self) -> str:
        if self.external:
            reach = "reachable" if self.up else "NOT reachable"
            return (
                f"external cluster from {KUBECONFIG_ENV}: {self.server} is {reach}; "
                f"kubeconfig: {self.kubeconfig}"
            )
        if not self.up:
            return "down: no local control plane is running (start it with scripts/cluster up)"
        pids = ", ".join(f"{name} pid {pid}" for name, pid in self.pids.items())
        return (
            f"up: {self.server} ({pids}); kubeconfig: {_shown(self.kubeconfig)}; "
            f"logs: {_shown(self.logs) if self.logs else '-'}"
        )


# --------------------------------------------------------------------------- binaries


def _build_script() -> Path:
    return repo_root() / "tools" / "controlplane" / "build"


def ensure_binaries(script: Path | None = None) -> Path:
    """Build (or find in the cache) kube-apiserver, kubectl and etcd; return their bin dir.

    ``script`` is another build script of the same kind (``tools/node/build``).
    """
    script = script or _build_script()
    # stderr is streamed through so a cold build (minutes) shows progress; the last
    # line is kept because on failure it is the script's one-sentence explanation.
    with subprocess.Popen(
        ["bash", str(script)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    ) as proc:
        assert proc.stderr is not None and proc.stdout is not None
        last = ""
        for line in proc.stderr:
            sys.stderr.write(line)
            if line.strip():
                last = line.strip()
        out = proc.stdout.read()
        code = proc.wait()
    if code != 0:
        raise ControlPlaneError(last or f"{_shown(script)} failed with exit code {code}")
    lines = out.strip().splitlines()
    if not lines:
        raise ControlPlaneError(f"{_shown(script)} printed no bin directory")
    return Path(lines[-1])


def _cached_kubectl() -> Path | None:
    """kubectl for an external cluster: from PATH, else an already built one; never builds."""
    on_path = shutil.which("kubectl")
    if on_path:
        return Path(on_path)
    with contextlib.suppress(ControlPlaneError, OSError, subprocess.SubprocessError):
        out = subprocess.run(
            ["bash", str(_build_script()), "--print"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        candidate = Path(out) / "kubectl"
        if candidate.is_file():
            return candidate
    return None


# --------------------------------------------------------------------------- PKI

_OPENSSL_CONFIG = """\
[req]
distinguished_name = dn
prompt = no
[dn]
CN = placeholder
[ca]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign, digitalSignature
subjectKeyIdentifier = hash
[server]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
# The in-cluster names too: Pods on the local node (``up --node``) reach this server as
# the ``kubernetes`` Service (10.0.0.1, the first address of --service-cluster-ip-range).
subjectAltName = IP:127.0.0.1, DNS:localhost, IP:10.0.0.1, DNS:kubernetes, DNS:kubernetes.default, \
    DNS:kubernetes.default.svc, DNS:kubernetes.default.svc.cluster.local
[client]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = clientAuth
"""


def _openssl(pki: Path, *args: str) -> None:
    if shutil.which("openssl") is None:
        raise ControlPlaneError("the openssl command is needed to create the cluster certificates")
    result = subprocess.run(["openssl", *args], cwd=pki, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise ControlPlaneError(f"openssl {args[0]} failed: {result.stderr.strip()}")


def _new_key(pki: Path, name: str) -> None:
    # ECDSA P-256: generation is instant (RSA would cost seconds per `up`), and
    # kube-apiserver accepts it for serving, client certs and ServiceAccount signing (ES256).
    _openssl(pki, "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256",
             "-out", f"{name}.key")  # fmt: skip
    (pki / f"{name}.key").chmod(0o600)


def _issue(pki: Path, name: str, subject: str, extensions: str) -> None:
    _new_key(pki, name)
    _openssl(pki, "req", "-new", "-config", "openssl.cnf", "-key", f"{name}.key",
             "-subj", subject, "-out", f"{name}.csr")  # fmt: skip
    serial = f"0x{secrets.token_hex(16)}"
    _openssl(pki, "x509", "-req", "-in", f"{name}.csr", "-CA", "ca.crt", "-CAkey", "ca.key",
             "-set_serial", serial, "-days", "3650", "-extfile", "openssl.cnf",
             "-extensions", extensions, "-out", f"{name}.crt")  # fmt: skip
    (pki / f"{name}.csr").unlink()


def create_pki(pki: Path) -> None:
    """A throwaway CA, the API server's serving cert, an admin client cert, the SA signing key."""
    pki.mkdir(parents=True, exist_ok=True)
    (pki / "openssl.cnf").write_text(_OPENSSL_CONFIG)
    _new_key(pki, "ca")
    _openssl(pki, "req", "-new", "-x509", "-config", "openssl.cnf", "-extensions", "ca",
             "-key", "ca.key", "-subj", "/CN=db-migrate-local-ca", "-days", "3650",
             "-out", "ca.crt")  # fmt: skip
    _issue(pki, "apiserver", "/CN=kube-apiserver", "server")
    # The organisation is the Kubernetes group: system:masters bypasses RBAC entirely.
    _issue(pki, "admin", f"/O=system:masters/CN={ADMIN_USER}", "client")
    _new_key(pki, "service-account")
    # The verifying side wants the public key on its own (a PKCS#8 EC key is not accepted).
    _openssl(pki, "pkey", "-in", "service-account.key", "-pubout", "-out", "service-account.pub")


# --------------------------------------------------------------------------- processes


# Popen handles of processes started by this Python process, so `down` can reap them.
_CHILDREN: dict[int, subprocess.Popen[bytes]] = {}


def _free_ports(count: int) -> list[int]:
    # All sockets stay open until every port is chosen, so the ports are distinct.
    with contextlib.ExitStack() as stack:
        socks = [stack.enter_context(socket.socket()) for _ in range(count)]
        for sock in socks:
            sock.bind(("127.0.0.1", 0))
        return [int(sock.getsockname()[1]) for sock in socks]


def _spawn(argv: list[str], log: Path) -> int:
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("ab") as out:
        proc = subprocess.Popen(
            argv,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            # Own session: Ctrl-C in the terminal or pytest does not reach the servers;
            # they stop only through `down`.
            start_new_session=True,
        )
    _CHILDREN[proc.pid] = proc
    return proc.pid


def _runs(pid: int, argv: Sequence[str]) -> bool:
    """Whether ``pid`` is alive and runs exactly ``argv``.

    The name alone proves nothing: PIDs are reused (this machine wraps its 32768 PIDs every
    few minutes) and other clusters (another DB_MIGRATE_DEV_DIR) run the same binaries. The
    full command line holds this cluster's ports and paths, so it identifies our process.
    """
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except FileNotFoundError:
        if Path("/proc/self").exists():
            return False
        # No procfs (macOS): ps shows the command line joined by spaces.
        result = subprocess.run(
            ["ps", "-p", str(pid), "-o", "command="], capture_output=True, text=True, check=False
        )
        return result.stdout.strip() == " ".join(argv)
    except OSError:
        return False
    # A zombie has an empty command line, so it never matches.
    return raw.rstrip(b"\0").split(b"\0") == [os.fsencode(arg) for arg in argv]


def _is_ours(pid: int, argv: Sequence[str]) -> bool:
    """Whether the recorded process ``pid`` (started as ``argv``) is still running."""
    proc = _CHILDREN.get(pid)
    if proc is not None:
        # Started by this very process: poll() is authoritative (and reaps it). Reading
        # /proc/<pid>/cmdline right after the spawn can race with execve and come back empty.
        return proc.poll() is None
    return _runs(pid, argv)


def _stop(pid: int, argv: Sequence[str]) -> None:
    if not _is_ours(pid, argv):
        return
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + STOP_TIMEOUT
    while time.monotonic() < deadline:
        if not _is_ours(pid, argv):
            return
        time.sleep(0.05)
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + STOP_TIMEOUT
    while time.monotonic() < deadline and _is_ours(pid, argv):
        time.sleep(0.05)


# --------------------------------------------------------------------------- state


def _read_state(lay: Layout) -> dict[str, Any] | None:
    try:
        data = json.loads(lay.state.read_text())
    except (FileNotFoundError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _write_state(lay: Layout, state: dict[str, Any]) -> None:
    tmp = lay.state.with_suffix(".tmp")
    tmp.write_text(json.dumps(state, indent=2) + "\n")
    tmp.replace(lay.state)


def _write_private(path: Path, text: str) -> None:
    """Write a credential-bearing file atomically, readable by the owner only."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as out:
        out.write(text)
    tmp.replace(path)


# Locks this process holds, so a nested _locked() (node.up calling up()) does not wait
# on itself: flock locks belong to the open file, and a second open would deadlock.
_HELD: dict[Path, int] = {}


@contextlib.contextmanager
def _locked(lay: Layout) -> Iterator[None]:
    """Serialise up/down across processes (two pytest sessions, a script and a test run)."""
    if _HELD.get(lay.lock):
        _HELD[lay.lock] += 1
        try:
            yield
        finally:
            _HELD[lay.lock] -= 1
        return
    lay.dev.mkdir(parents=True, exist_ok=True)
    with lay.lock.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        _HELD[lay.lock] = 1
        try:
            yield
        finally:
            _HELD.pop(lay.lock, None)
            fcntl.flock(handle, fcntl.LOCK_UN)


# A recorded server process: its PID and the exact argv it was started with.
Recorded = tuple[int, list[str]]


def _recorded(state: dict[str, Any]) -> dict[str, Recorded]:
    found: dict[str, Recorded] = {}
    for binary, entry in (state.get("processes") or {}).items():
        if isinstance(entry, dict):
            pid, argv = entry.get("pid"), entry.get("argv")
            if isinstance(pid, int) and isinstance(argv, list):
                found[str(binary)] = (pid, [str(arg) for arg in argv])
    return found


def _alive(state: dict[str, Any]) -> dict[str, Recorded]:
    return {binary: rec for binary, rec in _recorded(state).items() if _is_ours(*rec)}


# --------------------------------------------------------------------------- readiness


def _tls_context(pki: Path) -> ssl.SSLContext:
    ctx = ssl.create_default_context(cafile=str(pki / "ca.crt"))
    ctx.load_cert_chain(str(pki / "admin.crt"), str(pki / "admin.key"))
    return ctx


def _http_status(url: str, ctx: ssl.SSLContext | None, timeout: float = 2.0) -> int:
    """The HTTP status of GET ``url``, or 0 when nothing answers yet."""
    try:
        with urllib.request.urlopen(url, timeout=timeout, context=ctx) as response:
            return int(response.status)
    except urllib.error.HTTPError as err:
        return int(err.code)
    except (urllib.error.URLError, OSError):
        return 0


def _ready_timeout() -> float:
    raw = os.environ.get(READY_TIMEOUT_ENV)
    try:
        return float(raw) if raw else DEFAULT_READY_TIMEOUT
    except ValueError:
        return DEFAULT_READY_TIMEOUT


def _wait_healthy(
    lay: Layout,
    url: str,
    ctx: ssl.SSLContext | None,
    processes: dict[str, Recorded],
    deadline: float,
) -> None:
    """Poll ``url`` until it answers 200, failing fast when a server process dies."""
    while True:
        for binary, (pid, argv) in processes.items():
            if not _is_ours(pid, argv):
                raise ControlPlaneError(f"{binary} exited while starting; see {_shown(lay.log(binary))}")
        if _http_status(url, ctx) == 200:
            return
        if time.monotonic() >= deadline:
            raise ControlPlaneError(f"{url} did not answer 200 in time; see the logs in {_shown(lay.logs)}/")
        time.sleep(0.05)


def _wait_ready(lay: Layout, server: str, processes: dict[str, Recorded], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    _wait_healthy(lay, f"{server}/readyz", _tls_context(lay.pki), processes, deadline)


# --------------------------------------------------------------------------- kubeconfig


def _b64(path: Path) -> str:
    import base64

    return base64.b64encode(path.read_bytes()).decode()


def _admin_kubeconfig(lay: Layout, server: str) -> str:
    config = {
        "apiVersion": "v1",
        "kind": "Config",
        "clusters": [
            {
                "name": CONTEXT_NAME,
                "cluster": {
                    "server": server,
                    "certificate-authority-data": _b64(lay.pki / "ca.crt"),
                },
            }
        ],
        "users": [
            {
                "name": ADMIN_USER,
                "user": {
                    "client-certificate-data": _b64(lay.pki / "admin.crt"),
                    "client-key-data": _b64(lay.pki / "admin.key"),
                },
            }
        ],
        "contexts": [{"name": CONTEXT_NAME, "context": {"cluster": CONTEXT_NAME, "user": ADMIN_USER}}],
        "current-context": CONTEXT_NAME,
        "preferences": {},
    }
    return yaml.safe_dump(config, sort_keys=False)


def _current_cluster(kubeconfig: Path) -> tuple[dict[str, Any], str | None]:
    """The cluster entry of the current context (CA paths made absolute) and its namespace."""
    try:
        config = yaml.safe_load(kubeconfig.read_text()) or {}
    except (OSError, yaml.YAMLError) as err:
        raise ControlPlaneError(f"cannot read kubeconfig {kubeconfig}: {err}") from err
    contexts = {c.get("name"): c.get("context", {}) for c in config.get("contexts") or []}
    clusters = {c.get("name"): c.get("cluster", {}) for c in config.get("clusters") or []}
    context = contexts.get(config.get("current-context"))
    if context is None or context.get("cluster") not in clusters:
        raise ControlPlaneError(f"kubeconfig {kubeconfig} has no usable current-context")
    cluster = dict(clusters[context["cluster"]])
    ca = cluster.get("certificate-authority")
    if ca and not Path(ca).is_absolute():
        # Relative paths in a kubeconfig are relative to the kubeconfig file itself.
        cluster["certificate-authority"] = str((kubeconfig.parent / ca).resolve())
    return cluster, context.get("namespace")


# --------------------------------------------------------------------------- up / down / status


def _external() -> ControlPlane | None:
    named = os.environ.get(KUBECONFIG_ENV)
    if not named:
        return None
    path = Path(named).expanduser().resolve()
    if not path.is_file():
        raise ControlPlaneError(f"{KUBECONFIG_ENV} names {named}, which is not a file")
    cluster, _ = _current_cluster(path)
    return ControlPlane(
        kubeconfig=path,
        server=str(cluster.get("server", "")),
        kubectl_path=_cached_kubectl(),
        external=True,
    )


def _local(lay: Layout, state: dict[str, Any], started: bool) -> ControlPlane:
    kubectl = Path(state["bin_dir"]) / "kubectl"
    return ControlPlane(
        kubeconfig=lay.kubeconfig,
        server=str(state["server"]),
        kubectl_path=kubectl if kubectl.is_file() else None,
        started=started,
    )


def _start(lay: Layout, bin_dir: Path, timeout: float, advertise: str | None) -> dict[str, Any]:
    """Start etcd and kube-apiserver from scratch; return the recorded state once ready.

    ``advertise`` (the host side of a local node's veth) switches on what a node needs; see
    :func:`_node_args`.
    """
    create_pki(lay.pki)
    lay.etcd_data.mkdir(parents=True, exist_ok=True)
    lay.etcd_data.chmod(0o700)  # etcd refuses a data dir others can read
    etcd_port, peer_port, api_port = _free_ports(3)
    etcd_url = f"http://127.0.0.1:{etcd_port}"
    peer_url = f"http://127.0.0.1:{peer_port}"
    server = f"https://127.0.0.1:{api_port}"
    state: dict[str, Any] = {
        "server": server,
        "etcd": etcd_url,
        "bin_dir": str(bin_dir),
        "advertise": advertise,
        "processes": {},
        "started_at": time.time(),
    }
    _write_state(lay, state)

    # Without fsync etcd is fast on any disk; the data is throwaway, so durability is moot.
    etcd_argv = [
        str(bin_dir / ETCD),
        f"--data-dir={lay.etcd_data}",
        f"--listen-client-urls={etcd_url}",
        f"--advertise-client-urls={etcd_url}",
        f"--listen-peer-urls={peer_url}",
        f"--initial-advertise-peer-urls={peer_url}",
        f"--initial-cluster=db-migrate={peer_url}",
        "--name=db-migrate",
        "--unsafe-no-fsync",
        "--log-level=warn",
    ]
    state["processes"][ETCD] = {"pid": _spawn(etcd_argv, lay.log(ETCD)), "argv": etcd_argv}
    _write_state(lay, state)  # record each PID at once so `down` can always stop it
    # kube-apiserver would retry an absent etcd, but its gRPC client backs off for a
    # second or more, so starting it only once etcd answers is faster (and the log quieter).
    deadline = time.monotonic() + timeout
    _wait_healthy(lay, f"{etcd_url}/health", None, _recorded(state), deadline)

    pki = lay.pki
    api_argv = [
        str(bin_dir / APISERVER),
        f"--etcd-servers={etcd_url}",
        "--bind-address=127.0.0.1",
        f"--secure-port={api_port}",
        f"--cert-dir={pki}",
        f"--tls-cert-file={pki / 'apiserver.crt'}",
        f"--tls-private-key-file={pki / 'apiserver.key'}",
        f"--client-ca-file={pki / 'ca.crt'}",
        f"--service-cluster-ip-range={SERVICE_CIDR}",
        f"--service-account-issuer={server}",
        f"--service-account-key-file={pki / 'service-account.pub'}",
        f"--service-account-signing-key-file={pki / 'service-account.key'}",
        "--allow-privileged=true",
        "--profiling=false",
        *(_node_args(pki, advertise) if advertise else _plain_args()),
        *os.environ.get(APISERVER_ARGS_ENV, "").split(),
    ]
    state["processes"][APISERVER] = {"pid": _spawn(api_argv, lay.log(APISERVER)), "argv": api_argv}
    _write_state(lay, state)
    _wait_healthy(lay, f"{server}/readyz", _tls_context(pki), _recorded(state), deadline)
    return state


SERVICE_CIDR = "10.0.0.0/24"


def _plain_args() -> list[str]:
    return [
        "--advertise-address=127.0.0.1",
        "--authorization-mode=RBAC",
        # As envtest does: without a controller-manager no namespace gets a "default"
        # ServiceAccount, and this plugin would then reject every pod.
        "--disable-admission-plugins=ServiceAccount",
        # The "kubernetes" Service cannot have a loopback endpoint (validation refuses
        # it, logging an error every few seconds), and nothing here needs it.
        "--endpoint-reconciler-type=none",
    ]


def _node_args(pki: Path, advertise: str) -> list[str]:
    """What a real node needs from the API server (``scripts/cluster up --node``).

    The server still listens on loopback only; ``advertise`` is the host side of the node's
    veth, where a forwarder passes connections on to it, so the ``kubernetes`` Service gets a
    reachable endpoint for Pods. ServiceAccount admission is on (the controller-manager
    makes the "default" ServiceAccounts), the Node authorizer lets kubelet see its own Pods'
    Secrets only, and the admin certificate (system:masters) authenticates the server to
    kubelet for logs and exec.
    """
    return [
        f"--advertise-address={advertise}",
        "--authorization-mode=Node,RBAC",
        "--enable-admission-plugins=NodeRestriction",
        "--endpoint-reconciler-type=lease",
        f"--kubelet-client-certificate={pki / 'admin.crt'}",
        f"--kubelet-client-key={pki / 'admin.key'}",
        "--kubelet-preferred-address-types=InternalIP",
    ]


def restart_apiserver(downtime_s: float, timeout: float | None = None) -> None:
    """Stop the local kube-apiserver, wait ``downtime_s``, start it again with the same argv and
    return once ``/readyz`` answers: watches break and clients must re-list, as after a
    control-plane upgrade. etcd keeps running, so nothing stored is lost."""
    lay = layout()
    with _locked(lay):
        state = _read_state(lay)
        recorded = _recorded(state or {})
        if state is None or APISERVER not in recorded:
            raise ControlPlaneError("no local kube-apiserver is recorded; start it with scripts/cluster up")
        pid, argv = recorded[APISERVER]
        _stop(pid, argv)
        time.sleep(downtime_s)
        state["processes"][APISERVER] = {"pid": _spawn(argv, lay.log(APISERVER)), "argv": argv}
        _write_state(lay, state)
        _wait_ready(lay, str(state["server"]), _recorded(state), timeout or _ready_timeout())


def up(
    timeout: float | None = None,
    *,
    session: int | None = None,
    dev: Path | None = None,
    advertise: str | None = None,
) -> ControlPlane:
    """Make sure a control plane is up and ready; idempotent. Returns how to reach it.

    ``session`` (a test run's PID) registers a user of the cluster; see :func:`release`.
    Without it the caller is a person (``scripts/cluster up``), and the cluster then stays
    up until ``scripts/cluster down``, whoever started it. ``dev`` is the dev dir (default:
    ``DB_MIGRATE_DEV_DIR`` or ``.dev``). ``advertise`` is for the local node
    (:mod:`db_migrate.testing.node`): a running control plane started without it is
    restarted with it.
    """
    external = _external()
    if external is not None:
        if _http_status(f"{external.server}/version", _unverified_tls(), timeout=10.0) == 0:
            raise ControlPlaneError(
                f"the cluster named by {KUBECONFIG_ENV} ({external.server}) does not answer"
            )
        return external
    lay = layout(dev)
    limit = _ready_timeout() if timeout is None else timeout
    owner = SESSION_OWNER if session is not None else PERSON_OWNER
    with _locked(lay):
        plane = _up_locked(lay, limit, owner, advertise)
        if session is not None:
            # Registered under the same lock, so no release() can stop it in between.
            lay.sessions.mkdir(parents=True, exist_ok=True)
            (lay.sessions / str(session)).touch()
        return plane


def _up_locked(lay: Layout, limit: float, owner: str, advertise: str | None) -> ControlPlane:
    # Cheap when cached (a hash of tools/controlplane); builds only when the pins changed.
    bin_dir = ensure_binaries()
    state = _read_state(lay)
    if state is not None:
        alive = _alive(state)
        if (
            set(alive) == {ETCD, APISERVER}
            and lay.kubeconfig.is_file()
            and state.get("bin_dir") == str(bin_dir)
            # A node-ready server serves a plain `up` too, but not the other way round.
            and (advertise is None or state.get("advertise") == advertise)
        ):
            _wait_ready(lay, str(state["server"]), alive, limit)
            if owner == PERSON_OWNER and state.get("owner") != PERSON_OWNER:
                # A person asked for it: it must outlive the test run that started it.
                state["owner"] = PERSON_OWNER
                _write_state(lay, state)
            return _local(lay, state, started=False)
        # A half-dead cluster (a crash, a reboot) or one running older binaries:
        # clear it and start afresh.
        _teardown(lay, state)
    state = _start_with_retries(lay, bin_dir, limit, advertise)
    state["owner"] = owner
    _write_state(lay, state)
    _write_private(lay.kubeconfig, _admin_kubeconfig(lay, str(state["server"])))
    return _local(lay, state, started=True)


def release(session: int, *, stop: bool = True, dev: Path | None = None) -> bool:
    """Unregister test session ``session``; stop the cluster if it is no longer needed.

    Several pytest runs may share one checkout's cluster. It is stopped only when a test
    session started it, ``stop`` is true, and no other registered session is still alive.
    A cluster a person started with ``scripts/cluster up`` is never stopped here.
    Returns whether it was stopped.
    """
    if os.environ.get(KUBECONFIG_ENV):
        return False
    lay = layout(dev)
    with _locked(lay):
        (lay.sessions / str(session)).unlink(missing_ok=True)
        others = [
            entry
            for entry in (lay.sessions.iterdir() if lay.sessions.is_dir() else [])
            if entry.name.isdigit() and _pid_exists(int(entry.name))
        ]
        state = _read_state(lay)
        if not stop or others or state is None or state.get("owner") != SESSION_OWNER:
            return False
        _teardown(lay, state)
        return True


def _pid_exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _start_with_retries(lay: Layout, bin_dir: Path, limit: float, advertise: str | None) -> dict[str, Any]:
    attempt = 1
    while True:
        _wipe(lay)
        try:
            return _start(lay, bin_dir, limit, advertise)
        except BaseException as err:
            # Stop what was started but keep the logs: they explain the failure.
            failed = _read_state(lay)
            if failed is not None:
                _stop_all(failed)
            lay.state.unlink(missing_ok=True)
            if not (_lost_port_race(lay, err) and attempt < PORT_ATTEMPTS):
                raise
        attempt += 1


def _lost_port_race(lay: Layout, err: BaseException) -> bool:
    """Whether a server died because another process took its port after we picked it."""
    if not isinstance(err, ControlPlaneError):
        return False
    for binary in (ETCD, APISERVER):
        with contextlib.suppress(OSError):
            if "address already in use" in lay.log(binary).read_text(errors="replace"):
                return True
    return False


def _stop_all(state: dict[str, Any]) -> None:
    # The API server first, so it never sees its etcd vanish under it.
    recorded = _recorded(state)
    for binary in (APISERVER, ETCD):
        if binary in recorded:
            _stop(*recorded[binary])


def _wipe(lay: Layout) -> None:
    shutil.rmtree(lay.cluster, ignore_errors=True)
    lay.kubeconfig.unlink(missing_ok=True)


def _teardown(lay: Layout, state: dict[str, Any] | None) -> None:
    # A local node depends on this server: it goes first, whoever stops the server.
    from db_migrate.testing import nodeprocs

    nodeprocs.teardown_locked(lay)
    if state is not None:
        _stop_all(state)
    _wipe(lay)


def down(dev: Path | None = None) -> bool:
    """Stop the processes recorded by ``up`` (and only those) and remove all state.

    A local node in the same dev dir is stopped and removed first. Returns whether there
    was anything to stop or remove.
    """
    if os.environ.get(KUBECONFIG_ENV):
        return False  # an external cluster is not ours to stop
    lay = layout(dev)
    with _locked(lay):
        existed = lay.cluster.exists() or lay.kubeconfig.exists() or lay.node.exists()
        _teardown(lay, _read_state(lay))
    return existed


def status() -> Status:
    external = _external()
    if external is not None:
        reachable = _http_status(f"{external.server}/version", _unverified_tls()) != 0
        return Status(reachable, True, external.kubeconfig, external.server, {}, None)
    lay = layout()
    state = _read_state(lay)
    if state is None:
        return Status(False, False, lay.kubeconfig, None, {}, None)
    alive = _alive(state)
    ready = (
        set(alive) == {ETCD, APISERVER}
        and lay.kubeconfig.is_file()
        and _http_status(f"{state['server']}/readyz", _tls_context(lay.pki)) == 200
    )
    pids = {binary: pid for binary, (pid, _) in alive.items()}
    return Status(ready, False, lay.kubeconfig, str(state["server"]), pids, lay.logs)


def _unverified_tls() -> ssl.SSLContext:
    """Enough TLS to ask an external server whether it answers at all (not to trust it)."""
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    return ctx


def current(dev: Path | None = None) -> ControlPlane:
    """The control plane that is up now, without starting anything."""
    external = _external()
    if external is not None:
        return external
    lay = layout(dev)
    state = _read_state(lay)
    if state is None or set(_alive(state)) != {ETCD, APISERVER}:
        raise ControlPlaneError("no local control plane is running; start it with scripts/cluster up")
    return _local(lay, state, started=False)


# --------------------------------------------------------------------------- ServiceAccounts


def serviceaccount_kubeconfig(
    namespace: str,
    name: str,
    *,
    control_plane: ControlPlane | None = None,
    create: bool = False,
    expiration_seconds: int = 3600,
    path: Path | None = None,
) -> Path:
    """Write a kubeconfig that authenticates as ServiceAccount ``namespace/name``.

    The token comes from the TokenRequest API, exactly as a pod's projected token would,
    so a process using this kubeconfig has precisely the RBAC granted to that ServiceAccount
    (for the operator: what ``deploy/`` grants). With ``create`` the ServiceAccount is
    created first if it does not exist.
    """
    from kubernetes import client
    from kubernetes.client.exceptions import ApiException

    plane = control_plane or current()
    core = client.CoreV1Api(plane.api_client())
    if create:
        body = client.V1ServiceAccount(metadata=client.V1ObjectMeta(name=name))
        try:
            core.create_namespaced_service_account(namespace, body)
        except ApiException as err:
            if err.status != 409:
                raise
    request = client.AuthenticationV1TokenRequest(
        spec=client.V1TokenRequestSpec(audiences=[], expiration_seconds=expiration_seconds)
    )
    issued = core.create_namespaced_service_account_token(name, namespace, request)
    token = issued.status.token if issued.status else None
    if not token:
        raise ControlPlaneError(f"TokenRequest for {namespace}/{name} returned no token")

    cluster, _ = _current_cluster(plane.kubeconfig)
    user = f"system:serviceaccount:{namespace}:{name}"
    config = {
        "apiVersion": "v1",
        "kind": "Config",
        "clusters": [{"name": CONTEXT_NAME, "cluster": cluster}],
        "users": [{"name": user, "user": {"token": token}}],
        "contexts": [
            {
                "name": user,
                "context": {"cluster": CONTEXT_NAME, "user": user, "namespace": namespace},
            }
        ],
        "current-context": user,
        "preferences": {},
    }
    target = path or layout().serviceaccounts / f"{namespace}.{name}.kubeconfig"
    _write_private(target, yaml.safe_dump(config, sort_keys=False))
    return target


# --------------------------------------------------------------------------- CLI


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="scripts/cluster",
        description="A local Kubernetes control plane (etcd + kube-apiserver) for tests.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    up_cmd = commands.add_parser("up", help="build if needed, start, and wait until /readyz is 200")
    up_cmd.add_argument(
        "--node",
        action="store_true",
        help="also run a real node (containerd, kubelet, kube-proxy, CoreDNS) in its own "
        "network namespace; needs root (see docs/node.md)",
    )
    commands.add_parser("down", help="stop the recorded processes and remove all state")
    commands.add_parser("status", help="say whether it is up and where the kubeconfig is")
    args = parser.parse_args(argv)
    try:
        if args.command == "up" and args.node:
            from db_migrate.testing import node

            return node.main_up()
        if args.command == "up":
            began = time.monotonic()
            plane = up()
            if plane.external:
                print(f"using the external cluster from {KUBECONFIG_ENV}: {plane.server}")
            else:
                what = "started" if plane.started else "already up"
                print(
                    f"{what}: {plane.server} ready after {time.monotonic() - began:.1f} s; "
                    f"export KUBECONFIG={plane.kubeconfig}"
                )
            return 0
        if args.command == "down":
            if os.environ.get(KUBECONFIG_ENV):
                print(f"{KUBECONFIG_ENV} names an external cluster; nothing to stop")
            else:
                print("stopped and removed" if down() else "nothing to stop")
            return 0
        report = status()
        print(report.describe())
        if report.up and not report.external:
            from db_migrate.testing import node

            print(node.describe())
        return 0 if report.up else 3
    except ControlPlaneError as err:
        print(f"cluster {args.command}: {err}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    # Run the importable copy of this module, not __main__: node.py imports that one, and
    # its ControlPlaneError (and lock bookkeeping) must be the ones main() works with.
    from db_migrate.testing import controlplane as _importable

    sys.exit(_importable.main())
