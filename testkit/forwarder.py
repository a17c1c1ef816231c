"""A TCP forwarder: the local node's way to the API server, which listens on loopback only.

It listens on the host side of the node's veth (where nothing else listens) and passes every
connection to the same port on 127.0.0.1. TLS goes through untouched, so clients verify the
API server itself (the node's kubeconfigs name ``localhost`` as the TLS server name).
Binding the API server to the veth address instead would need ``--bind-address``, which
replaces the loopback bind that everything else uses.

    python -m testkit.forwarder LISTEN_HOST PORT TARGET_HOST
"""

from __future__ import annotations

import asyncio
import contextlib
import sys


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while chunk := await reader.read(65536):
            writer.write(chunk)
            await writer.drain()
    except (ConnectionError, OSError):
        pass
    finally:
        with contextlib.suppress(Exception):
            writer.close()


async def _serve(listen: str, port: int, target: str) -> None:
    async def handle(client_r: asyncio.StreamReader, client_w: asyncio.StreamWriter) -> None:
        try:
            server_r, server_w = await asyncio.open_connection(target, port)
        except OSError:
            client_w.close()
            return
        await asyncio.gather(_pipe(client_r, server_w), _pipe(server_r, client_w))

    server = await asyncio.start_server(handle, listen, port, reuse_address=True)
    async with server:
        await server.serve_forever()


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        print("usage: python -m testkit.forwarder LISTEN_HOST PORT TARGET_HOST", file=sys.stderr)
        return 2
    listen, port, target = argv[0], int(argv[1]), argv[2]
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(_serve(listen, port, target))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
