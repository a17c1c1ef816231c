"""A real Argo CD as processes against a :class:`ControlPlane`, syncing from a ``file://`` git repository.

Argo CD is built from the Go module pinned in ``tools/argocd/`` (``tools/argocd/build``, cached by
content): one binary, in which ``ARGOCD_BINARY_NAME`` picks the component. Three processes run, as
in Argo CD's own manifests but without its image:

* ``redis-server`` (the Debian package), the cache both components share;
* ``argocd-repo-server`` (``--disable-tls`` with ``--client-ca-path ""``), which clones the
  repository and runs kustomize; ``git-verify-wrapper.sh`` and kustomize come from the build's
  ``bin/`` on its ``PATH``;
* ``argocd-application-controller`` with ``ARGOCD_FAKE_IN_CLUSTER=true``, so the
  ``https://kubernetes.default.svc`` destination is the control plane of its kubeconfig.

:func:`install` puts what they read in the ``argocd`` namespace: the Application and AppProject
CRDs of the same module, a ``default`` AppProject, ``argocd-secret``, and ``argocd-cm`` from
``deploy/argocd/argocd-cm.yaml`` (the DatabaseMigration health check users install).
:class:`GitRepo` makes the repository from a folder and commits changes to it.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from testkit.controlplane import ControlPlane, repo_root
from testkit.ports import LOOPBACK, free_ports

NAMESPACE = "argocd"
BUILD = Path("tools") / "argocd" / "build"
ARGOCD_CM = Path("deploy") / "argocd" / "argocd-cm.yaml"
#: Application and AppProject: all the controller needs (no ApplicationSet controller runs).
CRD_FILES = ("application-crd.yaml", "appproject-crd.yaml")


class ArgoCDError(RuntimeError):
    pass


def binary_path() -> Path:
    """Where ``tools/argocd/build`` puts (or has put) the ``argocd`` binary; builds nothing."""
    out = subprocess.run(["bash", str(repo_root() / BUILD), "--print"], capture_output=True,
                         text=True, check=True)
    return Path(out.stdout.strip())


def build(timeout: float = 3600) -> Path:
    """The ``argocd`` binary, built first if the cache lacks it (a cold build takes minutes)."""
    result = subprocess.run(["bash", str(repo_root() / BUILD)], capture_output=True, text=True,
                            timeout=timeout, check=False)
    if result.returncode != 0:
        raise ArgoCDError(f"tools/argocd/build failed:\n{result.stderr[-3000:]}")
    return Path(result.stdout.strip())


def install(plane: ControlPlane, binary: Path) -> None:
    """CRDs, the ``argocd`` namespace, the ``default`` AppProject, ``argocd-secret`` and ``argocd-cm``."""
    for name in CRD_FILES:
        plane.kubectl("apply", "--server-side", "--force-conflicts", "-f", str(binary.parent / "crds" / name))
    # Right after a first apply a CRD has no conditions yet, and kubectl wait fails on that.
    deadline = time.monotonic() + 60
    while plane.kubectl("wait", "--for=condition=Established", "crd/applications.argoproj.io",
                        "crd/appprojects.argoproj.io", "--timeout=60s", check=False).returncode != 0:
        if time.monotonic() > deadline:
            raise ArgoCDError("Argo CD's CRDs were not Established within 60 s")
        time.sleep(0.5)
    if plane.kubectl("get", "namespace", NAMESPACE, check=False).returncode != 0:
        plane.kubectl("create", "namespace", NAMESPACE)
    plane.kubectl("apply", "-n", NAMESPACE, "-f", str(repo_root() / ARGOCD_CM))
    # The settings manager reads argocd-secret (server.secretkey) even where no API server runs;
    # created once, so a second install keeps the key.
    if plane.kubectl("-n", NAMESPACE, "get", "secret", "argocd-secret", check=False).returncode != 0:
        plane.kubectl("apply", "-f", "-", input=json.dumps({
            "apiVersion": "v1", "kind": "Secret",
            "metadata": {"name": "argocd-secret", "namespace": NAMESPACE,
                         "labels": {"app.kubernetes.io/part-of": "argocd"}},
            "stringData": {"server.secretkey": secrets.token_urlsafe(32)}}))
    plane.kubectl("apply", "-f", "-", input=json.dumps({
        "apiVersion": "argoproj.io/v1alpha1", "kind": "AppProject",
        "metadata": {"name": "default", "namespace": NAMESPACE},
        "spec": {"sourceRepos": ["*"],
                 "destinations": [{"server": "*", "namespace": "*"}],
                 "clusterResourceWhitelist": [{"group": "*", "kind": "*"}]}}))


@dataclass
class ArgoCD:
    """The three running processes; :meth:`stop` ends them (the fixture's teardown calls it)."""

    plane: ControlPlane
    workdir: Path
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    def log(self, name: str) -> Path:
        return self.workdir / f"{name}.log"

    def logs(self, name: str, tail: int = 4000) -> str:
        path = self.log(name)
        return path.read_text(errors="replace")[-tail:] if path.exists() else ""

    def stop(self) -> None:
        # Controller first: it is what writes to the API server.
        for name in reversed(list(self.processes)):
            proc = self.processes[name]
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
                try:
                    proc.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait(timeout=10)

    def check_running(self) -> None:
        for name, proc in self.processes.items():
            if proc.poll() is not None:
                raise ArgoCDError(f"{name} exited with {proc.returncode}; its log ends:\n{self.logs(name)}")

    # Applications, read and nudged through kubectl as a user would.
    def apply(self, manifest: dict[str, Any]) -> None:
        self.plane.kubectl("apply", "-n", NAMESPACE, "-f", "-", input=json.dumps(manifest))

    def application(self, name: str) -> dict[str, Any]:
        out = self.plane.kubectl("-n", NAMESPACE, "get", "applications.argoproj.io", name, "-o", "json")
        return dict(json.loads(out.stdout))

    def refresh(self, name: str) -> None:
        """Ask the controller to compare with the repository's latest commit now (no webhook here)."""
        self.plane.kubectl("-n", NAMESPACE, "annotate", "--overwrite", "applications.argoproj.io", name,
                           "argocd.argoproj.io/refresh=normal")

    def wait_for(self, name: str, predicate: Callable[[dict[str, Any]], bool], *, what: str,
                 timeout: float = 120) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while True:
            self.check_running()
            app = self.application(name)
            if predicate(app):
                return app
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}; Application "
                                     f"status:\n{json.dumps(app.get('status'), indent=1)[-6000:]}\n"
                                     f"controller log ends:\n{self.logs('controller', 3000)}")
            time.sleep(0.5)


def _healthy(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://{LOOPBACK}:{port}/healthz", timeout=2) as resp:
            return bool(resp.status == 200)
    except OSError:
        return False


def _redis_up(port: int) -> bool:
    try:
        with socket.create_connection((LOOPBACK, port), timeout=1) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def start(plane: ControlPlane, workdir: Path, binary: Path, *, resync_seconds: int = 10,
          timeout: float = 90) -> ArgoCD:
    """Start redis, the repo server and the application controller; return once all answer.

    ``resync_seconds`` is how often the controller compares every Application with Git (Argo CD's
    default is 120 s plus up to 60 s of jitter); tests also ask for a refresh after each commit
    (:meth:`ArgoCD.refresh`).
    """
    redis_server = shutil.which("redis-server")
    if redis_server is None:
        raise ArgoCDError("redis-server is not installed (Debian package redis-server)")
    workdir.mkdir(parents=True, exist_ok=True)
    home = workdir / "home"
    tmp = workdir / "tmp"
    home.mkdir(exist_ok=True)
    tmp.mkdir(exist_ok=True)
    redis_port, repo_port, repo_metrics, controller_metrics = free_ports(4)
    argo = ArgoCD(plane, workdir)
    base_env = {
        "PATH": f"{binary.parent / 'bin'}{os.pathsep}{os.environ.get('PATH', '/usr/bin:/bin')}",
        "HOME": str(home),
        "TMPDIR": str(tmp),
        "ARGOCD_GPG_ENABLED": "false",
    }

    def spawn(name: str, argv: list[str], env: dict[str, str]) -> None:
        with argo.log(name).open("wb") as out:
            argo.processes[name] = subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT,
                                                    env=env, cwd=workdir, start_new_session=True)

    def wait(what: str, ready: Callable[[], bool]) -> None:
        deadline = time.monotonic() + timeout
        while not ready():
            try:
                argo.check_running()
            except ArgoCDError:
                argo.stop()
                raise
            if time.monotonic() > deadline:
                argo.stop()
                raise ArgoCDError(f"{what} did not answer within {timeout:.0f} s; see {workdir}")
            time.sleep(0.3)

    try:
        spawn("redis", [redis_server, "--port", str(redis_port), "--bind", LOOPBACK, "--save", "",
                        "--appendonly", "no", "--dir", str(workdir)], base_env)
        wait("redis-server", lambda: _redis_up(redis_port))
        redis = f"{LOOPBACK}:{redis_port}"
        spawn("repo-server", [str(binary), "--address", LOOPBACK, "--port", str(repo_port),
                              "--metrics-address", LOOPBACK, "--metrics-port", str(repo_metrics),
                              "--redis", redis, "--disable-tls", "--client-ca-path", "",
                              "--logformat", "text"],
              {**base_env, "ARGOCD_BINARY_NAME": "argocd-repo-server"})
        wait("argocd-repo-server", lambda: _healthy(repo_metrics))
        spawn("controller", [str(binary), "--namespace", NAMESPACE,
                             "--repo-server", f"{LOOPBACK}:{repo_port}", "--repo-server-plaintext",
                             "--redis", redis, "--metrics-port", str(controller_metrics),
                             "--app-resync", str(resync_seconds), "--app-resync-jitter", "0",
                             "--self-heal-timeout-seconds", "2", "--logformat", "text",
                             # Each resource's health (and the operator's message) in the
                             # Application's status, where kubectl reads it; v3 keeps it only in
                             # the resource tree that its API server serves.
                             "--persist-resource-health=true"],
              {**base_env, "ARGOCD_BINARY_NAME": "argocd-application-controller",
               "ARGOCD_FAKE_IN_CLUSTER": "true", "KUBECONFIG": str(plane.kubeconfig)})
        wait("argocd-application-controller", lambda: _healthy(controller_metrics))
    except BaseException:
        argo.stop()
        raise
    return argo


@dataclass
class GitRepo:
    """A git repository in a directory of its own, which Argo CD reads as ``file://<path>``."""

    path: Path

    @property
    def url(self) -> str:
        return f"file://{self.path}"

    @classmethod
    def init(cls, path: Path, message: str = "initial") -> GitRepo:
        """A repository (branch ``main``) whose first commit holds what ``path`` holds now."""
        repo = cls(path)
        repo.git("init", "--quiet", "--initial-branch=main")
        repo.commit(message)
        return repo

    @classmethod
    def from_folder(cls, folder: Path, path: Path, message: str = "initial") -> GitRepo:
        """A copy of ``folder`` at ``path``, committed."""
        shutil.copytree(folder, path)
        return cls.init(path, message)

    def git(self, *args: str) -> str:
        who = {"NAME": "db-migrate tests", "EMAIL": "tests@db-migrate.invalid"}
        env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1",
               **{f"GIT_{role}_{key}": v for role in ("AUTHOR", "COMMITTER") for key, v in who.items()}}
        result = subprocess.run(["git", "-C", str(self.path), *args], capture_output=True, text=True,
                                env=env, check=False)
        if result.returncode != 0:
            raise ArgoCDError(f"git {' '.join(args)} exited {result.returncode}: {result.stderr.strip()}")
        return result.stdout

    def write(self, relative: str, text: str) -> None:
        target = self.path / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)

    def commit(self, message: str) -> str:
        """Commit every change in the work tree; return the new commit's SHA."""
        self.git("add", "--all")
        self.git("commit", "--quiet", "--allow-empty", "-m", message)
        return self.git("rev-parse", "HEAD").strip()
