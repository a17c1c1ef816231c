"""``scripts/cluster up|down|status``: the command line of :mod:`testkit.controlplane` and of
the local node (``up --node``). Above both: importing the node here registers its teardown, so
``down`` stops a node before its API server (controlplane/hooks.py)."""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Sequence

from testkit import node
from testkit.controlplane.errors import ControlPlaneError
from testkit.controlplane.lifecycle import down, status, up
from testkit.controlplane.plane import KUBECONFIG_ENV


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
            print(node.describe())
        return 0 if report.up else 3
    except ControlPlaneError as err:
        print(f"cluster {args.command}: {err}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
