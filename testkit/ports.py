"""Free TCP ports on the loopback address: the one helper every server and proxy of the kit uses."""

from __future__ import annotations

import contextlib
import socket

LOOPBACK = "127.0.0.1"


def free_ports(count: int) -> list[int]:
    """``count`` distinct ports that are free on 127.0.0.1 right now.

    All sockets stay open until every port is chosen, so the ports are distinct. A port is
    only free until someone binds it: a server that lost the race must be started again.
    """
    with contextlib.ExitStack() as stack:
        socks = [stack.enter_context(socket.socket()) for _ in range(count)]
        for sock in socks:
            sock.bind((LOOPBACK, 0))
        return [int(sock.getsockname()[1]) for sock in socks]


def free_port() -> int:
    """One port that is free on 127.0.0.1 right now."""
    return free_ports(1)[0]
