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

The package is split along its seams; this module re-exports the public names:

    errors           ControlPlaneError
    paths            repo_root, dev_dir, Layout, layout (where state lives)
    pki              the CA and certificates (openssl)
    processes        spawning servers, recognising them by argv, stopping them
    state            state.json and the cluster lock
    readiness        HTTP probes and the wait for /readyz
    binaries         tools/controlplane/build and its cache
    kubeconfig       the admin kubeconfig, reading a kubeconfig, API clients
    servers          etcd's and kube-apiserver's argv, the start and its retries
    plane            ControlPlane and Status, what callers get back
    lifecycle        up, down, status, current, release, restart_apiserver
    serviceaccounts  serviceaccount_kubeconfig
    hooks            teardowns registered by what runs on top (the local node)
"""

from testkit.controlplane.binaries import ensure_binaries
from testkit.controlplane.errors import ControlPlaneError
from testkit.controlplane.kubeconfig import api_client_for
from testkit.controlplane.lifecycle import current, down, release, restart_apiserver, status, up
from testkit.controlplane.paths import DEV_DIR_ENV, Layout, dev_dir, layout, repo_root
from testkit.controlplane.plane import KUBECONFIG_ENV, ControlPlane, Status
from testkit.controlplane.servers import SERVICE_CIDR
from testkit.controlplane.serviceaccounts import serviceaccount_kubeconfig

__all__ = [
    "DEV_DIR_ENV",
    "KUBECONFIG_ENV",
    "SERVICE_CIDR",
    "ControlPlane",
    "ControlPlaneError",
    "Layout",
    "Status",
    "api_client_for",
    "current",
    "dev_dir",
    "down",
    "ensure_binaries",
    "layout",
    "release",
    "repo_root",
    "restart_apiserver",
    "serviceaccount_kubeconfig",
    "status",
    "up",
]
