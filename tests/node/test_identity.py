"""Names and addresses derive from the dev dir: two clusters on one machine never collide."""

from __future__ import annotations

import ipaddress
from pathlib import Path

from testkit import netns


def test_each_dev_dir_gets_its_own_link_subnet_and_names() -> None:
    dirs = [Path("/work/x/.dev"), Path("/tmp/dbm-node-1234"), Path("/tmp/dbm-node-1234-iso")]
    idents = [netns.identity(d) for d in dirs]
    assert len({i.tag for i in idents}) == len({i.link_cidr for i in idents}) == len(dirs)
    for ident in idents:
        link = ipaddress.IPv4Network(ident.link_cidr)
        assert link.prefixlen == 30 and link.subnet_of(ipaddress.IPv4Network("10.203.0.0/16"))
        assert [str(a) for a in link.hosts()] == [ident.host_ip, ident.node_ip]
        assert ipaddress.IPv4Network(ident.pod_cidr).subnet_of(ipaddress.IPv4Network("10.244.0.0/16"))
        assert len(ident.veth_host) <= 15  # IFNAMSIZ - 1
        assert ident.netns == ident.cgroup == f"dbm-{ident.tag}"


def test_identity_is_stable_for_one_dev_dir() -> None:
    assert netns.identity(Path("/tmp/a/../a/.dev")) == netns.identity(Path("/tmp/a/.dev"))
