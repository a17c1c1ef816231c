"""The Debian packages the local node and the images need, from the one list .ci/run uses
(tools/debian-packages.txt), and the apt command that installs the missing ones."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

LIST = Path(__file__).resolve().parent.parent / "tools" / "debian-packages.txt"
#: What `make demo` needs (the tests' PostgreSQL 15 is not among them).
DEMO_PURPOSES = ("node", "images")


def listed(purposes: tuple[str, ...] = DEMO_PURPOSES) -> list[str]:
    out = []
    for line in LIST.read_text().splitlines():
        fields = line.split()
        if fields and not fields[0].startswith("#") and fields[1:2] and fields[1] in purposes:
            out.append(fields[0])
    return out


def installed(package: str) -> bool:
    if shutil.which("dpkg-query") is None:
        return False
    done = subprocess.run(["dpkg-query", "-W", "-f=${Status}", package], capture_output=True,
                          text=True, check=False)
    return "install ok installed" in done.stdout


def missing(purposes: tuple[str, ...] = DEMO_PURPOSES) -> list[str]:
    return [p for p in listed(purposes) if not installed(p)]


def command(packages: list[str]) -> list[str]:
    return ["apt-get", "install", "-y", "--no-install-recommends", *packages]


def install(packages: list[str]) -> bool:
    """Install ``packages`` when this is root on a machine with apt (printing the command);
    otherwise print the command for the user to run. Returns whether it installed them."""
    if not packages:
        return False
    shown = " ".join(command(packages))
    if os.geteuid() != 0 or shutil.which("apt-get") is None:
        print(f"to run the local node, install: sudo apt-get update && sudo {shown}", flush=True)
        return False
    print(f"installing what the local node needs: apt-get update && {shown}", flush=True)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for argv in (["apt-get", "update", "-qq"], command(packages)):
        if subprocess.run(argv, env=env, check=False).returncode != 0:
            print(f"{' '.join(argv)} failed: running the operator as a process instead", flush=True)
            return False
    return True
