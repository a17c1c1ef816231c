"""The control plane's binaries: built from Go modules by ``tools/controlplane/build``, cached."""

from __future__ import annotations

import contextlib
import shutil
import subprocess
import sys
from pathlib import Path

from testkit.controlplane.errors import ControlPlaneError
from testkit.controlplane.paths import repo_root, shown


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
        raise ControlPlaneError(last or f"{shown(script)} failed with exit code {code}")
    lines = out.strip().splitlines()
    if not lines:
        raise ControlPlaneError(f"{shown(script)} printed no bin directory")
    return Path(lines[-1])


def cached_kubectl() -> Path | None:
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
