"""A real single-node cluster: ``scripts/cluster up --node``, isolated from the host.

On top of the control plane of :mod:`testkit.controlplane` (restarted with what a
node needs: ServiceAccount admission, the Node authorizer, an advertised address), this runs
kube-controller-manager, kube-scheduler, containerd, kubelet, kube-proxy (nftables mode) and
CoreDNS, all built from Go modules by ``tools/node/build``, and an image registry
(:mod:`testkit.registry`) that containerd pulls every image from. They all live in a network
and mount namespace of their own (:mod:`testkit.netns`), so the CNI bridge, the node IP, the
registry and every firewall rule kubelet and kube-proxy write stay out of the host. The host
keeps one veth end and a forwarder from it to the API server on loopback. See docs/node.md.

State, per dev dir (``DB_MIGRATE_DEV_DIR``, default ``.dev``)::

    .dev/node/state.json        PIDs and argv of every process, the holder's namespace
    .dev/node/logs/             one log per component
    .dev/node/config/           containerd.toml, kubelet.yaml, kube-proxy.yaml, Corefile, ...
    .dev/node/kubeconfigs/      one per component (client certificates in .dev/cluster/pki)
    .dev/node/containerd/       containerd's root and state (images, snapshots, sandboxes)
    .dev/node/kubelet/          kubelet's root dir
    .dev/node/cni/              CNI config and host-local IPAM files
    .dev/node/registry/         the registry's storage (the images pushed to the node)

Python API (for fixtures and other helpers)::

    node = up()                                   # idempotent; Node Ready, CoreDNS ready
    node.push_image("operator", "es1/db-migrate:dev")   # a built image -> the node's registry
    node.plane.kubectl("apply", "-f", "pod.yaml")
    node.exec_in_netns(["curl", "http://10.0.0.42"])
    down()                                        # node, then control plane; every trace
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from testkit import controlplane, imagearchive, images, netns, nodeconfig, nodeprocs, registry
from testkit import forwarder as forwarder_module
from testkit.controlplane import ControlPlane, ControlPlaneError, Layout, processes, readiness
from testkit.controlplane import state as cp_state
from testkit.controlplane.pki import issue
from testkit.nodeconfig import NODE_NAME
from testkit.nodeprocs import CONTAINERD, FORWARDER, REGISTRY, Paths, paths, teardown_locked

# Pulled from the node's registry (pushed there at start, and by the tests).
PAUSE_IMAGE = registry.reference("db-migrate/pause")
PROBE_IMAGE = registry.reference("db-migrate/probe")
REQUIRED_TOOLS = ("containerd", "containerd-shim-runc-v2", "runc", "ctr", "nsenter", "unshare",
                  "ip", "nft", "iptables", "mount", "skopeo")  # fmt: skip
CNI_BIN = Path("/usr/lib/cni")


class NodeError(ControlPlaneError):
    """A one-sentence failure of the local node; ``scripts/cluster`` prints it as is."""


# --------------------------------------------------------------------------- the result


@dataclass(frozen=True)
class Node:
    """A running local node and how to reach into it."""

    plane: ControlPlane
    dev: Path
    host_ip: str
    node_ip: str
    netns: str
    pod_cidr: str
    holder_pid: int
    containerd_socket: Path
    bin_dir: Path
    name: str = NODE_NAME
    # True when this call started the node rather than finding it running.
    started: bool = field(default=False, compare=False)

    def exec_in_netns(
        self, argv: Sequence[str], *, input: str | None = None, timeout: float = 60.0
    ) -> subprocess.CompletedProcess[str]:
        """Run ``argv`` inside the node's network namespace (it sees ClusterIPs and Pods).

        Only the network namespace is joined: files are the host's, so any host tool works.
        """
        return subprocess.run(
            netns.enter(self.holder_pid, argv, mount=False),
            input=input,
            text=True,
            capture_output=True,
            timeout=timeout,
            check=False,
        )

    def ctr(self, *args: str, timeout: float = 300.0) -> subprocess.CompletedProcess[str]:
        """containerd's own client on the node's containerd, in the namespace kubelet uses."""
        result = subprocess.run(
            ["ctr", "--address", str(self.containerd_socket), "--namespace", "k8s.io", *args],
            text=True,
            capture_output=True,
            timeout=timeout,
            check=False,
        )
        if result.returncode != 0:
            raise NodeError(f"ctr {' '.join(args)} exited {result.returncode}: {result.stderr.strip()}")
        return result

    @property
    def registry(self) -> str:
        """The node's registry as the host reaches it (``NODE_IP:5000``, plain HTTP).

        Inside the node it is :data:`testkit.registry.NAME` (``localhost:5000``), and containerd
        also resolves ``docker.io`` names to it.
        """
        return f"{self.node_ip}:{registry.PORT}"

    @property
    def pause_image(self) -> str:
        """containerd's sandbox image, pushed to the registry when the node started."""
        return f"{PAUSE_IMAGE}:{self.bin_dir.parent.name}"

    def push(self, source: str, name: str) -> float:
        """Copy ``source`` (a skopeo reference: ``oci:DIR:TAG``, ``docker-archive:PATH``) to the
        node's registry as ``name`` (``repository:tag``); returns the seconds it took.

        Pods then name it ``localhost:5000/<name>``, or, for a ``docker.io`` path such as
        ``es1/db-migrate:dev``, by its plain name.
        """
        return images.copy(source, f"docker://{self.registry}/{name}", tls_verify=False)

    def push_image(self, image: str, *names: str) -> float:
        """Push the locally built image ``image`` (:data:`testkit.images.NAMES`) under each of
        ``names``; returns the seconds the uploads took."""
        source = f"oci:{images.layout(image)}:{images.LAYOUT_TAG}"
        seconds = sum(self.push(source, name) for name in names)
        self._forget_stale(names)
        return seconds

    def _forget_stale(self, names: Sequence[str]) -> None:
        # A tag pushed again over another image: containerd still holds the old one under that
        # name, and `imagePullPolicy: IfNotPresent` would keep using it. Dropping the name from
        # containerd (what `crictl rmi` does on a real node) makes the next Pod pull the new one.
        held = {}
        for line in self.ctr("images", "list").stdout.splitlines()[1:]:
            fields = line.split()
            if len(fields) >= 3:
                held[fields[0]] = fields[2]
        for name in names:
            digest = self.registry_digest(name)
            for ref in (registry.reference(name), f"docker.io/{name}"):
                if ref in held and held[ref] != digest:
                    self.ctr("images", "remove", ref)

    def registry_get(self, path: str) -> tuple[int, dict[str, str], bytes]:
        """``GET /v2/<path>`` on the node's registry: status, headers, body (manifests in the OCI
        and Docker v2 media types)."""
        accept = ", ".join(("application/vnd.oci.image.index.v1+json",
                            "application/vnd.oci.image.manifest.v1+json",
                            "application/vnd.docker.distribution.manifest.v2+json",
                            "application/vnd.docker.distribution.manifest.list.v2+json"))
        request = urllib.request.Request(f"http://{self.registry}/v2/{path}", headers={"Accept": accept})
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as err:
            return err.code, dict(err.headers), err.read()

    def registry_digest(self, name: str) -> str | None:
        """The manifest digest the registry serves for ``repository:tag``, or None."""
        repository, _, tag = name.rpartition(":")
        status, headers, _body = self.registry_get(f"{repository}/manifests/{tag}")
        return headers.get("Docker-Content-Digest") if status == 200 else None

    def images(self) -> list[str]:
        """The references of every image containerd holds (pulled by kubelet or the tests)."""
        out = self.ctr("images", "list", "--quiet").stdout
        return [line for line in out.splitlines() if line and not line.startswith("sha256:")]

    def memory(self) -> dict[str, int]:
        """Resident memory in MiB of each process of the cluster (the figures in docs/node.md)."""
        lay = controlplane.layout(self.dev)
        recorded = {**processes.recorded(cp_state.read_state(lay) or {})}
        recorded.update(nodeprocs.recorded(nodeprocs.read_state(paths(lay)) or {}))
        found: dict[str, int] = {}
        for name, (pid, _argv) in recorded.items():
            rss = _rss_mib(pid)
            if rss is not None:
                found[name] = rss
        return found


def _rss_mib(pid: int) -> int | None:
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) // 1024
    return None


def _node_from(lay: Layout, state: dict[str, Any], plane: ControlPlane, started: bool) -> Node:
    ident = netns.identity(lay.dev)
    return Node(
        plane=plane,
        dev=lay.dev,
        host_ip=ident.host_ip,
        node_ip=ident.node_ip,
        netns=ident.netns,
        pod_cidr=ident.pod_cidr,
        holder_pid=nodeprocs.holder(state)[0],
        containerd_socket=paths(lay).socket,
        bin_dir=Path(state["bin_dir"]),
        started=started,
    )


# --------------------------------------------------------------------------- up


def _node_build_script() -> Path:
    return controlplane.repo_root() / "tools" / "node" / "build"


def missing_prerequisites() -> list[str]:
    """What this machine lacks to run a node (empty: nothing), without starting anything."""
    missing = [] if os.geteuid() == 0 else ["root"]
    missing += [tool for tool in REQUIRED_TOOLS if shutil.which(tool) is None]
    if not (CNI_BIN / "bridge").is_file():
        missing.append(f"{CNI_BIN}/bridge")
    return missing


def _preflight() -> None:
    if os.geteuid() != 0:
        raise NodeError("a local node needs root (namespaces, cgroups, containerd); run as root")
    missing = missing_prerequisites()
    if missing:
        raise NodeError(
            "missing for the local node: " + ", ".join(missing) + " (apt-get install containerd "
            "runc containernetworking-plugins iproute2 nftables iptables util-linux skopeo)"
        )


def up(timeout: float | None = None, *, dev: Path | None = None, session: int | None = None) -> Node:
    """Make sure the control plane and the node are up; idempotent.

    Returns once the Node is Ready, CoreDNS answers and the ``default`` ServiceAccount
    exists. ``dev`` is the dev dir (default: ``DB_MIGRATE_DEV_DIR`` or ``.dev``); every name
    and address derives from it. ``session`` (a test run's PID) registers a user, as for
    :func:`controlplane.up`; :func:`release` stops the cluster when the last one leaves.
    """
    if os.environ.get(controlplane.KUBECONFIG_ENV):
        raise NodeError(
            f"{controlplane.KUBECONFIG_ENV} names an external cluster; a local node needs the local one"
        )
    _preflight()
    lay = controlplane.layout(dev)
    limit = readiness.ready_timeout() if timeout is None else timeout
    bin_dir = controlplane.ensure_binaries(_node_build_script())
    registry_bin = controlplane.ensure_binaries(registry.build_script(controlplane.repo_root()))
    ident = netns.identity(lay.dev)
    p = paths(lay)
    with cp_state.locked(lay):
        plane = controlplane.up(limit, dev=lay.dev, advertise=ident.host_ip, session=session)
        state = nodeprocs.read_state(p)
        if (
            state is not None
            and state.get("server") == plane.server
            and state.get("bin_dir") == str(bin_dir)
            and state.get("registry_bin") == str(registry_bin)
            and nodeprocs.alive(state)
        ):
            node = _node_from(lay, state, plane, started=False)
            _wait_ready(node, p, time.monotonic() + limit)
            return node
        teardown_locked(lay)
        try:
            state = _start(lay, ident, plane, bin_dir, registry_bin, time.monotonic() + limit)
        except BaseException:
            # Keep the logs: they say why. Everything else goes.
            nodeprocs.stop_everything(lay, nodeprocs.read_state(p), keep_logs=True)
            raise
        return _node_from(lay, state, plane, started=True)


def _spawn(p: Paths, state: dict[str, Any], name: str, inner: list[str], *, holder: int | None,
           env: dict[str, str] | None = None) -> None:
    argv = netns.enter(holder, inner) if holder is not None else inner
    pid = processes.spawn(argv, p.log(name), env=env)
    # nsenter execs the binary, so /proc shows ``inner`` under the same PID from then on.
    state["processes"][name] = {"pid": pid, "argv": inner}
    nodeprocs.write_state(p, state)  # each PID at once, so a failed start can always be stopped


def _issue_client_certs(pki: Path) -> None:
    subjects = {
        "node-kubelet": f"/O=system:nodes/CN=system:node:{NODE_NAME}",
        "node-kube-proxy": "/CN=system:kube-proxy",
        "node-kube-controller-manager": "/CN=system:kube-controller-manager",
        "node-kube-scheduler": "/CN=system:kube-scheduler",
        "node-coredns": f"/CN={nodeconfig.COREDNS_USER}",
    }
    for name, subject in subjects.items():
        if not (pki / f"{name}.crt").is_file():
            issue(pki, name, subject, "client")


def _write_configs(lay: Layout, p: Paths, ident: netns.Identity, server: str) -> dict[str, Path]:
    pki = lay.pki
    for d in (p.config, p.kubeconfigs, p.logs, p.kubelet, p.cni / "net.d", p.cni / "ipam", p.images):
        d.mkdir(parents=True, exist_ok=True)
    _issue_client_certs(pki)
    kubeconfigs: dict[str, Path] = {}
    for component in ("kubelet", "kube-proxy", "kube-controller-manager", "kube-scheduler", "coredns"):
        path = p.kubeconfigs / f"{component}.kubeconfig"
        cert = pki / f"node-{component}.crt"
        path.write_text(nodeconfig.kubeconfig(server=server, ca=pki / "ca.crt", cert=cert,
                                              key=cert.with_suffix(".key"), user=component))  # fmt: skip
        path.chmod(0o600)
        kubeconfigs[component] = path
    return kubeconfigs


def _start(
    lay: Layout, ident: netns.Identity, plane: ControlPlane, bin_dir: Path, registry_bin: Path,
    deadline: float,
) -> dict[str, Any]:
    began = time.monotonic()
    p = paths(lay)
    p.root.mkdir(parents=True, exist_ok=True)
    if len(str(p.socket)) > 100:
        raise NodeError(
            f"the dev dir path is too long for containerd's socket ({p.socket}); use a shorter one"
        )
    port = int(plane.server.rsplit(":", 1)[1])
    server = f"https://{ident.host_ip}:{port}"
    state: dict[str, Any] = {"server": plane.server, "bin_dir": str(bin_dir),
                             "registry_bin": str(registry_bin), "processes": {}, "holder": {}}
    p.logs.mkdir(parents=True, exist_ok=True)
    nodeprocs.write_state(p, state)

    netns.create_cgroups(ident.cgroup)
    holder = netns.start_holder(p.run, p.log("holder"))
    state["holder"] = {"pid": holder, "netns_id": netns.namespace_id(holder)}
    nodeprocs.write_state(p, state)
    netns.create_link(ident, holder, controlplane.SERVICE_CIDR)

    # Run as a file: it needs the standard library only, so no PYTHONPATH either.
    script = str(Path(forwarder_module.__file__).resolve())
    _spawn(p, state, FORWARDER, [sys.executable, script, ident.host_ip, str(port), "127.0.0.1"], holder=None)
    _wait_port(ident.host_ip, port, deadline, p, FORWARDER)

    kubeconfigs = _write_configs(lay, p, ident, server)
    pause_ref = f"{PAUSE_IMAGE}:{bin_dir.parent.name}"
    cfg = p.config
    p.registry.mkdir(parents=True, exist_ok=True)
    (cfg / "registry.yaml").write_text(registry.config_yaml(p.registry))
    registry.write_hosts(p.registry_hosts)
    (cfg / "containerd.toml").write_text(nodeconfig.containerd_toml(
        p.containerd / "root", p.containerd / "state", p.socket, p.containerd / "opt",
        p.cni / "net.d", pause_ref, p.registry_hosts))  # fmt: skip
    (p.cni / "net.d" / "10-bridge.conflist").write_text(
        nodeconfig.cni_conflist(ident.netns, ident.pod_cidr, p.cni / "ipam")
    )
    (cfg / "resolv.conf").write_text(
        f"# the node has no upstream resolver\nnameserver {nodeconfig.CLUSTER_DNS}\n"
    )
    (cfg / "kubelet.yaml").write_text(nodeconfig.kubelet_yaml(
        node_ip=ident.node_ip, ca=lay.pki / "ca.crt", cgroup_root=ident.cgroup,
        runtime_socket=p.socket, resolv_conf=cfg / "resolv.conf", pod_logs=p.root / "pod-logs"))  # fmt: skip
    (cfg / "kube-proxy.yaml").write_text(
        nodeconfig.kube_proxy_yaml(kubeconfig=kubeconfigs["kube-proxy"], pod_cidr=ident.pod_cidr)
    )
    (cfg / "Corefile").write_text(
        nodeconfig.corefile(node_ip=ident.node_ip, kubeconfig=kubeconfigs["coredns"])
    )
    plane.kubectl("apply", "--server-side", "--force-conflicts", "-f", "-",
                  input=nodeconfig.dns_objects(ident.node_ip))  # fmt: skip

    _spawn(p, state, REGISTRY, [str(registry_bin), "serve", str(cfg / "registry.yaml")], holder=holder,
           env=registry.ENV)
    _spawn(p, state, CONTAINERD, ["containerd", "--config", str(cfg / "containerd.toml")], holder=holder)
    pki = lay.pki
    _spawn(p, state, "kube-controller-manager", [
        str(bin_dir / "kube-controller-manager"),
        f"--kubeconfig={kubeconfigs['kube-controller-manager']}",
        "--bind-address=127.0.0.1",
        "--leader-elect=false",
        f"--service-account-private-key-file={pki / 'service-account.key'}",
        f"--root-ca-file={pki / 'ca.crt'}",
        "--use-service-account-credentials=true",
        f"--cluster-signing-cert-file={pki / 'ca.crt'}",
        f"--cluster-signing-key-file={pki / 'ca.key'}",
        "--cluster-name=db-migrate",
        "--profiling=false",
    ], holder=holder)  # fmt: skip
    _spawn(p, state, "kube-scheduler", [
        str(bin_dir / "kube-scheduler"),
        f"--kubeconfig={kubeconfigs['kube-scheduler']}",
        "--bind-address=127.0.0.1",
        "--leader-elect=false",
        "--profiling=false",
    ], holder=holder)  # fmt: skip
    _wait_containerd(p, state, deadline)
    # The sandbox image goes to the registry; containerd pulls it for the first Pod.
    _wait_port(ident.node_ip, registry.PORT, deadline, p, REGISTRY)
    pause = imagearchive.write(bin_dir / "pause", pause_ref, p.images / "pause.tar")
    try:
        images.copy(f"docker-archive:{pause}", f"docker://{ident.node_ip}:{registry.PORT}/"
                    f"{pause_ref.removeprefix(registry.NAME + '/')}", tls_verify=False, timeout=60)
    except images.ImageError as err:
        raise NodeError(f"the pause image could not be pushed to the node's registry: {err}") from err
    _spawn(p, state, "kubelet", [
        str(bin_dir / "kubelet"),
        f"--config={cfg / 'kubelet.yaml'}",
        f"--kubeconfig={kubeconfigs['kubelet']}",
        f"--hostname-override={NODE_NAME}",
        f"--node-ip={ident.node_ip}",
        f"--root-dir={p.kubelet}",
        "--v=1",
    ], holder=holder)  # fmt: skip
    _spawn(p, state, "kube-proxy", [str(bin_dir / "kube-proxy"), f"--config={cfg / 'kube-proxy.yaml'}"],
           holder=holder)  # fmt: skip
    _spawn(p, state, "coredns", [str(bin_dir / "coredns"), "-conf", str(cfg / "Corefile")], holder=holder)
    node = _node_from(lay, state, plane, started=True)
    _wait_ready(node, p, deadline)
    state["ready_after"] = round(time.monotonic() - began, 2)
    nodeprocs.write_state(p, state)
    return state


# --------------------------------------------------------------------------- readiness


def _check_processes(p: Paths, state: dict[str, Any]) -> None:
    for name, (pid, argv) in nodeprocs.recorded(state).items():
        if not processes.is_ours(pid, argv):
            tail = _tail(p.log(name))
            raise NodeError(f"{name} exited while starting; see {p.log(name)}{tail}")


def _tail(log: Path, lines: int = 3) -> str:
    with contextlib.suppress(OSError):
        text = log.read_text(errors="replace").strip().splitlines()[-lines:]
        if text:
            return ": " + " | ".join(line[:300] for line in text)
    return ""


def _wait_port(host: str, port: int, deadline: float, p: Paths, name: str) -> None:
    while True:
        with contextlib.suppress(OSError), socket.create_connection((host, port), timeout=0.5):
            return
        if time.monotonic() > deadline:
            raise NodeError(f"{name} does not accept connections on {host}:{port}; see {p.log(name)}")
        time.sleep(0.02)


def _wait_containerd(p: Paths, state: dict[str, Any], deadline: float) -> None:
    while True:
        _check_processes(p, state)
        if p.socket.exists():
            result = subprocess.run(["ctr", "--address", str(p.socket), "version"],
                                    capture_output=True, timeout=10, check=False)  # fmt: skip
            if result.returncode == 0:
                return
        if time.monotonic() > deadline:
            raise NodeError(f"containerd did not start in time; see {p.log(CONTAINERD)}")
        time.sleep(0.05)


def _node_ready(api: Any) -> bool:
    from kubernetes import client
    from kubernetes.client.exceptions import ApiException

    try:
        found = client.CoreV1Api(api).read_node(NODE_NAME)
    except ApiException:
        return False
    conditions = (found.status.conditions if found.status else None) or []
    return any(c.type == "Ready" and c.status == "True" for c in conditions)


def _dns_ready(node: Node) -> bool:
    url = f"http://{node.node_ip}:{nodeconfig.COREDNS_READY_PORT}/ready"
    return readiness.http_status(url, None, timeout=1.0) == 200


def _default_serviceaccount(api: Any) -> bool:
    from kubernetes import client
    from kubernetes.client.exceptions import ApiException

    try:
        client.CoreV1Api(api).read_namespaced_service_account("default", "default")
    except ApiException:
        return False
    return True


def _wait_ready(node: Node, p: Paths, deadline: float) -> None:
    api = node.plane.api_client()
    while True:
        state = nodeprocs.read_state(p) or {}
        _check_processes(p, state)
        # The "default" ServiceAccount too: with ServiceAccount admission on, a Pod created
        # before the controller-manager made it would be refused.
        if _node_ready(api) and _dns_ready(node) and _default_serviceaccount(api):
            return
        if time.monotonic() > deadline:
            raise NodeError(f"node {NODE_NAME} was not Ready with CoreDNS in time; see the logs in {p.logs}/")
        time.sleep(0.1)


# --------------------------------------------------------------------------- down


def down(*, dev: Path | None = None) -> bool:
    """Stop the node and the control plane of ``dev`` and remove all their state."""
    return controlplane.down(dev)


def release(session: int, *, stop: bool = True, dev: Path | None = None) -> bool:
    """Unregister test session ``session``; stop node and control plane if nobody else uses them.

    A cluster a person started (``scripts/cluster up --node``) is never stopped here.
    """
    return controlplane.release(session, stop=stop, dev=dev)


def current(*, dev: Path | None = None) -> Node | None:
    """The node that is up now in ``dev``, without starting anything; None when there is none."""
    if os.environ.get(controlplane.KUBECONFIG_ENV):
        return None
    lay = controlplane.layout(dev)
    state = nodeprocs.read_state(paths(lay))
    if state is None or not nodeprocs.alive(state):
        return None
    try:
        plane = controlplane.current(lay.dev)
    except ControlPlaneError:
        return None
    return _node_from(lay, state, plane, started=False)


# --------------------------------------------------------------------------- CLI


def describe(dev: Path | None = None) -> str:
    found = current(dev=dev)
    if found is None:
        return "node: none (start one with scripts/cluster up --node)"
    mem = found.memory()
    total = sum(mem.values())
    return (
        f"node: {found.name} up in network namespace {found.netns} (node IP {found.node_ip}, "
        f"host side {found.host_ip}); resident memory {total} MiB: "
        + ", ".join(f"{name} {mib}" for name, mib in sorted(mem.items()))
    )


def main_up() -> int:
    """``scripts/cluster up --node``."""
    began = time.monotonic()
    node = up()
    state = nodeprocs.read_state(paths(controlplane.layout(node.dev))) or {}
    what = "started" if node.started else "already up"
    node_time = (
        f" (the node itself {state['ready_after']:.1f} s)" if node.started and "ready_after" in state else ""
    )
    print(
        f"{what}: node {node.name} Ready with CoreDNS after {time.monotonic() - began:.1f} s{node_time}; "
        f"API {node.plane.server}; export KUBECONFIG={node.plane.kubeconfig}"
    )
    return 0
