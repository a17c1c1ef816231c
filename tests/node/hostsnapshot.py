"""What the host looks like, as far as a node could change it: for before/after comparisons."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

from testkit import netns

# Keys that change by themselves from one second to the next (counters and statistics).
VOLATILE_SYSCTLS = re.compile(
    r"^(fs\.(dentry-state|file-nr|inode-nr|inode-state|aio-nr|quota\.\w+)|kernel\.(ns_last_pid|random\.(uuid|entropy_avail))"
    r"|net\.netfilter\.nf_conntrack_count|kernel\.pty\.nr)\b"
)
# Paths kubelet, containerd and CNI write by default; a node that leaked would create them.
DEFAULT_PATHS = ("/run/netns", "/run/containerd", "/var/lib/cni", "/var/lib/kubelet", "/var/lib/containerd",
                 "/var/log/containers", "/var/log/pods", "/opt/containerd", "/etc/cni/net.d", "/run/xtables.lock")  # fmt: skip


def _out(argv: list[str]) -> str:
    result = subprocess.run(argv, capture_output=True, text=True, check=False)
    return result.stdout + (
        f"\n(exit {result.returncode}: {result.stderr.strip()})" if result.returncode else ""
    )


def _rules(argv: list[str]) -> str:
    # Counters and the "generated on" comment change by themselves; the rules must not.
    text = _out(argv)
    lines = [re.sub(r"\[\d+:\d+\]", "", line) for line in text.splitlines() if not line.startswith("#")]
    return "\n".join(lines)


def _sysctls() -> str:
    keys = [line for line in _out(["sysctl", "-a"]).splitlines() if not VOLATILE_SYSCTLS.match(line)]
    return "\n".join(sorted(keys))


def _mounts() -> str:
    rows = []
    for line in Path("/proc/self/mountinfo").read_text().splitlines():
        fields = line.split()
        sep = fields.index("-")
        # Mount point, options, type, source: mount IDs are not compared (they are counters).
        rows.append(" ".join([fields[4], fields[5], *fields[sep + 1 : sep + 3]]))
    return "\n".join(sorted(rows))


def _cgroups() -> str:
    rows = []
    for hierarchy in netns.cgroup_hierarchies():
        rows += [f"{hierarchy}/{d.name}" for d in sorted(hierarchy.iterdir()) if d.is_dir()]
    return "\n".join(rows)


def _paths() -> str:
    return "\n".join(f"{p} {'exists' if os.path.lexists(p) else '-'}" for p in DEFAULT_PATHS)


# Other actors on a shared machine, which may start or stop while the test runs: another
# checkout's node (its names carry another dev dir's tag) and podman/buildah image builds
# (containers-storage overlay mounts). The node under test uses neither name.
_OTHER_NODE = re.compile(r"dbm-([0-9a-f]{6})\b")
_IMAGE_BUILDS = re.compile(r"/storage/overlay(/|\s)")


def _foreign(line: str, own_tag: str) -> bool:
    return any(tag != own_tag for tag in _OTHER_NODE.findall(line)) or bool(_IMAGE_BUILDS.search(line))


def snapshot(own_tag: str) -> dict[str, str]:
    """Every section, without lines that belong to other actors (see ``_foreign``)."""
    raw = _snapshot()
    return {
        key: "\n".join(line for line in text.splitlines() if not _foreign(line, own_tag))
        for key, text in raw.items()
    }


def _snapshot() -> dict[str, str]:
    return {
        "iptables-save": _rules(["iptables-save"]),
        "ip6tables-save": _rules(["ip6tables-save"]),
        "nft list ruleset": _out(["nft", "list", "ruleset"]),
        "sysctl -a": _sysctls(),
        "links": _out(["ip", "-o", "link", "show"]),
        "addresses": _out(["ip", "-o", "addr", "show"]),
        "routes": _out(["ip", "route", "show", "table", "all"]),
        "ipv6 routes": _out(["ip", "-6", "route", "show", "table", "all"]),
        "mounts": _mounts(),
        "cgroups": _cgroups(),
        "default paths": _paths(),
    }


def processes_in_netns(netns_id: str) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and netns.namespace_id(int(entry.name)) == netns_id:
            found.append(int(entry.name))
    return found


def processes_mentioning(text: str) -> list[str]:
    """Live processes whose command line contains ``text`` (zombies have none: stopped)."""
    found = []
    needle = os.fsencode(text)
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            cmdline = entry.joinpath("cmdline").read_bytes()
        except OSError:
            continue
        if needle in cmdline:
            shown = cmdline.replace(b"\0", b" ").decode(errors="replace")[:200]
            found.append(f"{entry.name}: {shown}")
    return found
