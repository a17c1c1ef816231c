"""Small helpers for the node tests: namespaces, manifests, waiting, a DNS query."""

from __future__ import annotations

import json
import secrets
import struct
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from testkit import imagearchive, node, registry


def new_namespace(n: node.Node, stem: str) -> str:
    """A fresh namespace, returned once its "default" ServiceAccount exists.

    ServiceAccount admission is on, so a Pod created before the controller-manager made
    that account would be refused.
    """
    name = f"t-{stem}-{secrets.token_hex(3)}"
    n.plane.kubectl("create", "namespace", name)
    wait_for(lambda: n.plane.kubectl("get", "serviceaccount", "default", "-n", name, check=False).returncode == 0,
             f"the default ServiceAccount of {name}")  # fmt: skip
    return name


def apply(n: node.Node, *objects: dict[str, Any]) -> None:
    n.plane.kubectl("apply", "-f", "-", input=yaml.safe_dump_all(objects))


def wait_for(check: Callable[[], bool], what: str, timeout: float = 90.0) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(0.2)


def get_json(n: node.Node, *args: str) -> Any:
    return json.loads(n.plane.kubectl("get", *args, "-o", "json").stdout)


def probe_image(n: node.Node, tmp: Path) -> str:
    """The probe test workload as an image in the node's registry, through the public push API."""
    reference = f"{node.PROBE_IMAGE}:{n.bin_dir.parent.name}"
    name = reference.removeprefix(registry.NAME + "/")
    if n.registry_digest(name) is None:
        archive = imagearchive.write(n.bin_dir / "probe", reference, tmp / "probe.tar")
        n.push(f"docker-archive:{archive}", name)
    return reference


def pod(name: str, image: str, args: list[str], **spec: Any) -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name, "labels": {"app": name}},
        "spec": {
            "containers": [{"name": "main", "image": image, "imagePullPolicy": "IfNotPresent", "args": args}],
            **spec,
        },
    }


def dns_query(name: str) -> bytes:
    """A minimal DNS query (type A, recursion desired) for ``name``."""
    header = struct.pack(">HHHHHH", 0x1234, 0x0100, 1, 0, 0, 0)
    labels = b"".join(bytes([len(p)]) + p.encode() for p in name.rstrip(".").split("."))
    return header + labels + b"\0" + struct.pack(">HH", 1, 1)


# Run inside the node's network namespace: one UDP query; prints the rcode and A records.
DNS_CLIENT = """
import socket, struct, sys
server, query = sys.argv[1], bytes.fromhex(sys.argv[2])
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(3)
s.sendto(query, (server, 53))
data = s.recv(4096)
def skip(i):
    while data[i] and data[i] & 0xC0 != 0xC0:
        i += data[i] + 1
    return i + (2 if data[i] else 1)
i = skip(12) + 4
found = []
for _ in range(struct.unpack(">H", data[6:8])[0]):
    i = skip(i)
    rtype, _, _, size = struct.unpack(">HHIH", data[i:i + 10])
    i += 10
    if rtype == 1:
        found.append(socket.inet_ntoa(data[i:i + size]))
    i += size
print(data[3] & 0x0F, " ".join(found))
"""
