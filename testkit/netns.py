"""The local node's own network and mount namespaces, and its cgroups: everything per dev dir.

Isolation from the host is the point (see docs/node.md). A *holder* process
(``unshare -m -n --propagation slave``) owns a new network namespace and a private mount
namespace. Every node process (containerd, kubelet, kube-proxy, CoreDNS, the controllers)
joins both with ``nsenter -t HOLDER -m -n``. Inside the private mount namespace:

* sysfs is mounted again, so ``/sys/class/net`` shows the namespace's links (the cgroup
  mounts are moved back on top of it);
* the ``/proc/sys`` files kubelet insists on (``protectKernelDefaults``) are covered by files
  holding the values it expects, so kubelet never sees, let alone writes, the host's values;
* ``/run``, ``/var/lib`` and ``/var/log`` are empty tmpfs, so what containerd, runc, CNI and
  kubelet write at fixed paths there (shim sockets, CNI caches, ``/var/log/containers``)
  never reaches the host and vanishes with the namespace.

``ip netns add`` is deliberately not used: it makes ``/run/netns`` a mount point on the host
that outlives ``ip netns del``, and ``ip netns exec`` remounts ``/sys`` lazily, leaving
``/sys/fs/cgroup`` empty. The namespace has no name on the host; :attr:`Identity.netns` is
ours, for people and logs. It dies with the last process in it (the holder).

The host sees exactly one new thing while the node runs: one end of a veth pair with a
/30 address in 10.203.0.0/16 (the other end is ``eth0`` in the namespace). The namespace
has no default route, so Pods and the node reach only each other and that /30.
"""

from __future__ import annotations

import contextlib
import hashlib
import ipaddress
import os
import signal
import subprocess
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

CGROUP_FS = Path("/sys/fs/cgroup")
# 10.203.0.0/16 cut into /30s: 16384 node links, one per dev dir (chosen by hash).
LINK_BASE = ipaddress.IPv4Address("10.203.0.0")
LINK_SLOTS = 16384
NODE_IFNAME = "eth0"
# What kubelet's protectKernelDefaults demands (pkg/kubelet/cm/container_manager_linux.go);
# only the files whose host value differs are covered.
KUBELET_SYSCTLS = {
    "vm/overcommit_memory": "1",
    "vm/panic_on_oom": "0",
    "kernel/panic": "10",
    "kernel/panic_on_oops": "1",
    "kernel/keys/root_maxkeys": "1000000",
    "kernel/keys/root_maxbytes": "25000000",
}
# The holder execs this once its mounts are in place; its PID keeps both namespaces alive.
HOLDER_ARGV = ["sleep", "infinity"]


class NetnsError(RuntimeError):
    """A one-sentence failure of namespace plumbing."""


@dataclass(frozen=True)
class Identity:
    """Names and addresses of one dev dir's node, all derived from the dev dir's path.

    Two clusters (the demo's in ``.dev`` and the test suite's elsewhere) therefore never
    share a link, an address, a cgroup or a Pod subnet.
    """

    tag: str
    host_ip: str
    node_ip: str
    pod_cidr: str

    @property
    def netns(self) -> str:
        return f"dbm-{self.tag}"

    @property
    def veth_host(self) -> str:
        return f"dbm-{self.tag}-h"  # at most 15 characters (IFNAMSIZ)

    @property
    def cgroup(self) -> str:
        return f"dbm-{self.tag}"

    @property
    def link_cidr(self) -> str:
        return f"{ipaddress.IPv4Address(self.host_ip) - 1}/30"

    @property
    def pod_gateway(self) -> str:
        return str(ipaddress.IPv4Network(self.pod_cidr)[1])


def identity(dev: Path) -> Identity:
    digest = hashlib.sha256(str(dev.resolve()).encode()).hexdigest()
    slot = int(digest[6:12], 16) % LINK_SLOTS
    base = LINK_BASE + slot * 4
    return Identity(
        tag=digest[:6],
        host_ip=str(base + 1),
        node_ip=str(base + 2),
        pod_cidr=f"10.244.{int(digest[12:14], 16)}.0/24",
    )


# --------------------------------------------------------------------------- commands


def run(argv: Sequence[str], *, check: bool = True, timeout: float = 30.0) -> str:
    result = subprocess.run(list(argv), capture_output=True, text=True, timeout=timeout, check=False)
    if check and result.returncode != 0:
        raise NetnsError(f"{' '.join(argv)} exited {result.returncode}: {result.stderr.strip()}")
    return result.stdout


def enter(holder: int, argv: Sequence[str], *, mount: bool = True) -> list[str]:
    """``argv`` run inside the node's namespaces (``nsenter`` execs it: same PID, same argv)."""
    return ["nsenter", "-t", str(holder), *(["-m"] if mount else []), "-n", "--", *argv]


# --------------------------------------------------------------------------- the holder


def _holder_script(run_dir: Path, sysctls: dict[str, Path]) -> str:
    cgroups = run_dir / "cgroup-move"
    lines = [
        "set -eu",
        # First: mount(8) records mounts in /run/mount/utab, which must not be the host's.
        "mount -t tmpfs -o mode=755 tmpfs /run",
        # Keep the cgroup mounts: mounting sysfs again would hide them.
        f"mkdir -p {cgroups}",
        f"mount --rbind {CGROUP_FS} {cgroups}",
        "mount -t sysfs sysfs /sys",
        f"mount --move {cgroups} {CGROUP_FS}",
        *(f"mount --bind {src} /proc/sys/{key}" for key, src in sysctls.items()),
        "mount -t tmpfs -o mode=755 tmpfs /var/lib",
        "mount -t tmpfs -o mode=755 tmpfs /var/log",
        f"touch {run_dir / 'holder.ready'}",
        "exec " + " ".join(HOLDER_ARGV),
    ]
    return "\n".join(lines)


def _sysctl_covers(run_dir: Path) -> dict[str, Path]:
    """Files holding kubelet's expected values, for each /proc/sys file the host differs on."""
    covers: dict[str, Path] = {}
    for key, wanted in KUBELET_SYSCTLS.items():
        try:
            current = Path("/proc/sys", key).read_text().strip()
        except OSError:
            continue
        if current != wanted:
            cover = run_dir / "sysctl" / key.replace("/", ".")
            cover.parent.mkdir(parents=True, exist_ok=True)
            cover.write_text(wanted + "\n")
            covers[key] = cover
    return covers


def start_holder(run_dir: Path, log: Path, timeout: float = 10.0) -> int:
    """Start the holder; return its PID once its mount namespace is set up."""
    run_dir.mkdir(parents=True, exist_ok=True)
    ready = run_dir / "holder.ready"
    ready.unlink(missing_ok=True)
    script = _holder_script(run_dir, _sysctl_covers(run_dir))
    with log.open("ab") as out:
        proc = subprocess.Popen(
            ["unshare", "-m", "-n", "--propagation", "slave", "--", "sh", "-c", script],
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    deadline = time.monotonic() + timeout
    while not ready.exists():
        if proc.poll() is not None:
            raise NetnsError(f"the namespace holder exited {proc.returncode}; see {log}")
        if time.monotonic() > deadline:
            raise NetnsError(f"the namespace holder did not get ready in {timeout:.0f} s; see {log}")
        time.sleep(0.02)
    # Wait for the exec, so the recorded argv is the one /proc shows from now on.
    while not holder_alive(proc.pid) and time.monotonic() < deadline:
        time.sleep(0.01)
    return proc.pid


def _cmdline(pid: int) -> list[str]:
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return []
    return [arg.decode(errors="replace") for arg in raw.rstrip(b"\0").split(b"\0")] if raw else []


def namespace_id(pid: int) -> str | None:
    """The network namespace of ``pid`` (``net:[inode]``), or None when it is gone."""
    try:
        return os.readlink(f"/proc/{pid}/ns/net")
    except OSError:
        return None


def holder_alive(pid: int, netns_id: str | None = None) -> bool:
    """Whether ``pid`` is our holder: ``sleep infinity`` in a network namespace of its own.

    The argv alone is not unique, so the recorded namespace must match too (when known),
    and it must differ from ours (a reused PID running ``sleep infinity`` on the host).
    """
    if _cmdline(pid) != HOLDER_ARGV:
        return False
    ns = namespace_id(pid)
    if ns is None or ns == namespace_id(os.getpid()):
        return False
    return netns_id is None or ns == netns_id


def stop_holder(pid: int, netns_id: str | None) -> None:
    if not holder_alive(pid, netns_id):
        return
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
    with contextlib.suppress(ChildProcessError, OSError):
        os.waitpid(pid, 0)  # reaped here when this process started it
    deadline = time.monotonic() + 10.0
    while holder_alive(pid, netns_id) and time.monotonic() < deadline:
        time.sleep(0.02)


# --------------------------------------------------------------------------- the link


def link_exists(name: str) -> bool:
    return Path("/sys/class/net", name).exists()


def address_in_use(ip: str) -> bool:
    return f" {ip}/" in run(["ip", "-o", "-4", "addr", "show"], check=False)


def create_link(ident: Identity, holder: int, service_cidr: str) -> None:
    """The veth pair, its addresses, ``lo`` inside, and a route for the Service range only."""
    if link_exists(ident.veth_host):
        # Left by a crashed run of this dev dir: its namespace is gone or about to be.
        run(["ip", "link", "del", ident.veth_host], check=False)
    if address_in_use(ident.host_ip):
        raise NetnsError(
            f"{ident.host_ip} is already used by another interface on this machine; "
            "use another DB_MIGRATE_DEV_DIR"
        )
    run(["ip", "link", "add", ident.veth_host, "type", "veth",
         "peer", "name", NODE_IFNAME, "netns", str(holder)])  # fmt: skip
    run(["ip", "addr", "add", f"{ident.host_ip}/30", "dev", ident.veth_host])
    run(["ip", "link", "set", ident.veth_host, "up"])
    inside = [
        ["ip", "link", "set", "lo", "up"],
        ["ip", "addr", "add", f"{ident.node_ip}/30", "dev", NODE_IFNAME],
        ["ip", "link", "set", NODE_IFNAME, "up"],
        # No default route, on purpose. ClusterIPs need a route so a socket in the
        # namespace can send before kube-proxy's DNAT rewrites the destination; "dev"
        # without a gateway means an unmatched ClusterIP packet is never forwarded.
        ["ip", "route", "add", service_cidr, "dev", NODE_IFNAME],
    ]
    for argv in inside:
        run(enter(holder, argv, mount=False))


def remove_link(ident: Identity, timeout: float = 5.0) -> None:
    """The pair goes with the namespace; delete the host end if it is still there."""
    deadline = time.monotonic() + timeout
    while link_exists(ident.veth_host) and time.monotonic() < deadline:
        time.sleep(0.05)
    if link_exists(ident.veth_host):
        run(["ip", "link", "del", ident.veth_host], check=False)


# --------------------------------------------------------------------------- cgroups


def cgroup_hierarchies() -> list[Path]:
    """Every mounted cgroup hierarchy (v1 controllers, name=systemd, the v2 'unified')."""
    found: list[Path] = []
    with contextlib.suppress(OSError):
        for line in Path("/proc/self/mountinfo").read_text().splitlines():
            fields = line.split()
            sep = fields.index("-")
            fstype, mount_point = fields[sep + 1], fields[4]
            if fstype in ("cgroup", "cgroup2"):
                found.append(Path(mount_point))
    return found


def create_cgroups(name: str) -> None:
    """``/<name>`` under every v1 hierarchy: kubelet's cgroupRoot must exist in each."""
    for hierarchy in cgroup_hierarchies():
        path = hierarchy / name
        path.mkdir(exist_ok=True)
        if (hierarchy / "cpuset.cpus").exists():
            # A new cpuset cgroup is empty and no task could join it or its children.
            for knob in ("cpuset.cpus", "cpuset.mems"):
                if not (path / knob).read_text().strip():
                    (path / knob).write_text((hierarchy / knob).read_text())


def cgroup_pids(name: str) -> set[int]:
    pids: set[int] = set()
    for hierarchy in cgroup_hierarchies():
        root = hierarchy / name
        if not root.is_dir():
            continue
        # os.walk, not rglob: cgroups vanish while we look (kubelet removes Pods' cgroups),
        # and os.walk skips what disappeared instead of raising.
        for dirpath, _dirs, _files in os.walk(root):
            with contextlib.suppress(OSError, ValueError):
                pids.update(int(p) for p in Path(dirpath, "cgroup.procs").read_text().split())
    return pids


def remove_cgroups(name: str, timeout: float = 10.0) -> list[Path]:
    """Kill what is left in our cgroups and remove them, deepest first. Returns leftovers."""
    deadline = time.monotonic() + timeout
    left: list[Path] = []
    while True:
        for pid in cgroup_pids(name):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        left = []
        for hierarchy in cgroup_hierarchies():
            root = hierarchy / name
            if not root.is_dir():
                continue
            # Bottom-up, so every cgroup is empty of children when it is removed.
            for dirpath, _dirs, _files in os.walk(root, topdown=False):
                path = Path(dirpath)
                try:
                    path.rmdir()
                except FileNotFoundError:
                    pass
                except OSError:
                    left.append(path)
        if not left or time.monotonic() > deadline:
            return left
        time.sleep(0.1)
