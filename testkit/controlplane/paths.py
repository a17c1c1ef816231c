"""Where the control plane's state lives: the repository, the dev dir and the layout below it."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from testkit.controlplane.errors import ControlPlaneError

DEV_DIR_ENV = "DB_MIGRATE_DEV_DIR"


def repo_root() -> Path:
    """The repository holding ``tools/controlplane``: found from this file, else from the cwd."""
    here = Path(__file__).resolve()
    # testkit/controlplane/paths.py -> the repository is three levels up.
    candidates = [here.parents[2], Path.cwd(), *Path.cwd().parents]
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
        # The local node's state (testkit.node), beside cluster/ so that wiping the
        # control plane's state never removes it while the node still runs.
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


def shown(path: Path) -> str:
    """A path as a human would type it: relative to the cwd when it is below it."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)
