"""The real Helm CLI, built from its pinned Go module by ``tools/helm/build`` (cached by content).

The shipping tests lint and render ``deploy/helm/db-migrate/`` with it; the end-to-end suite
installs the chart on the local node with it. Helm's cache, configuration and data stay in a
directory of the caller's (never ``$HOME``)::

    helm = ensure(home=tmp_path)        # builds once (minutes cold), then reuses the binary
    helm("template", "db-migrate", str(CHART))
    helm("install", ..., kubeconfig=plane.kubeconfig)
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BUILD = ROOT / "tools" / "helm" / "build"


class HelmUnavailable(RuntimeError):
    """Helm is not built and cannot be here (no Go); the message says so."""


@dataclass(frozen=True)
class Helm:
    """The helm binary and an environment that keeps its files out of $HOME."""

    binary: str
    env: dict[str, str]

    def __call__(self, *args: str, kubeconfig: Path | None = None,
                 timeout: float = 300) -> subprocess.CompletedProcess[str]:
        env = {**self.env, "KUBECONFIG": str(kubeconfig)} if kubeconfig is not None else self.env
        return subprocess.run([self.binary, *args], capture_output=True, text=True, env=env,
                              timeout=timeout, check=False)


def ensure(home: Path) -> Helm:
    """helm, built by tools/helm/build if its cache has none yet; its files under ``home``."""
    binary = subprocess.run(["bash", str(BUILD), "--print"], capture_output=True, text=True,
                            check=True).stdout.strip()
    if not Path(binary).is_file():
        if shutil.which("go") is None:
            raise HelmUnavailable("Go is not installed, so helm cannot be built (tools/helm/build)")
        # A cold build takes minutes (docs/deploy.md "Helm"); later runs reuse the cached binary.
        built = subprocess.run(["bash", str(BUILD)], capture_output=True, text=True, timeout=3600,
                               check=False)
        if built.returncode != 0:
            raise RuntimeError(f"tools/helm/build failed: {built.stderr.strip()[-2000:]}")
    return Helm(binary, {
        "PATH": "/usr/bin:/bin",
        "HOME": str(home),
        "HELM_CACHE_HOME": str(home / "cache"),
        "HELM_CONFIG_HOME": str(home / "config"),
        "HELM_DATA_HOME": str(home / "data"),
    })
