"""A hostile "PostgreSQL server" on loopback: it asks every client for a cleartext password.

Speaks just enough of the wire protocol (SSLRequest, GSSENCRequest, StartupMessage,
AuthenticationCleartextPassword) to see whether a client sends the password, and records
every byte received so a test can assert that a Secret never reached it.
"""

from __future__ import annotations

import asyncio
import base64
import struct
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

_SSL_REQUEST = 80877103
_GSS_REQUEST = 80877104


@dataclass
class FakeServer:
    host: str
    port: int = 0
    #: Answer 'S' to SSLRequest (then the TLS handshake fails): lets libpq reach its TLS setup.
    accept_ssl: bool = False
    received: bytearray = field(default_factory=bytearray)
    connections: int = 0
    #: How many PasswordMessages ('p') clients sent.
    passwords: int = 0
    #: Offer SCRAM-SHA-256 with an iteration count of 1 instead of asking for the password in
    #: clear text: the client's proof is then cheap to attack offline (issue 17).
    scram: bool = False
    #: How many SCRAM client-final messages (with the proof) clients sent.
    proofs: int = 0

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        try:
            while True:
                length = struct.unpack("!I", await reader.readexactly(4))[0]
                body = await reader.readexactly(length - 4)
                self.received += body
                code = struct.unpack("!I", body[:4])[0] if len(body) >= 4 else 0
                if code == _SSL_REQUEST:
                    writer.write(b"S" if self.accept_ssl else b"N")
                elif code == _GSS_REQUEST:
                    writer.write(b"N")
                elif self.scram:
                    await self._scram(reader, writer)
                    return
                else:  # StartupMessage: ask for the password in clear text
                    writer.write(b"R" + struct.pack("!II", 8, 3))
                    await writer.drain()
                    kind = await reader.readexactly(1)
                    length = struct.unpack("!I", await reader.readexactly(4))[0]
                    self.received += await reader.readexactly(length - 4)
                    if kind == b"p":
                        self.passwords += 1
                    error = b'SFATAL\x00C28P01\x00Mpassword authentication failed for user "es1" (fake server)\x00\x00'
                    writer.write(b"E" + struct.pack("!I", len(error) + 4) + error)
                    await writer.drain()
                    return
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            return
        finally:
            writer.close()


    async def _message(self, reader: asyncio.StreamReader) -> tuple[bytes, bytes]:
        kind = await reader.readexactly(1)
        length = struct.unpack("!I", await reader.readexactly(4))[0]
        body = await reader.readexactly(length - 4)
        self.received += body
        return kind, body

    async def _scram(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        mechanisms = b"SCRAM-SHA-256\x00\x00"
        writer.write(b"R" + struct.pack("!II", 8 + len(mechanisms), 10) + mechanisms)
        await writer.drain()
        _, initial = await self._message(reader)  # mechanism, length, client-first-message
        client_first = initial[initial.index(b"\x00") + 5:].decode()
        nonce = client_first.split("r=", 1)[1]
        server_first = f"r={nonce}fakeservernonce,s={base64.b64encode(b'salt').decode()},i=1"
        data = server_first.encode()
        writer.write(b"R" + struct.pack("!II", 8 + len(data), 11) + data)
        await writer.drain()
        _, final = await self._message(reader)
        if b",p=" in final:
            self.proofs += 1
        error = b'SFATAL\x00C28P01\x00Mpassword authentication failed for user "es1" (fake server)\x00\x00'
        writer.write(b"E" + struct.pack("!I", len(error) + 4) + error)
        await writer.drain()


@contextmanager
def fake_server(host: str = "127.0.0.1", *, accept_ssl: bool = False,
                scram: bool = False) -> Iterator[FakeServer]:
    fake = FakeServer(host, accept_ssl=accept_ssl, scram=scram)
    loop = asyncio.new_event_loop()
    started = threading.Event()
    servers: list[asyncio.base_events.Server] = []

    async def main() -> None:
        server = await asyncio.start_server(fake._handle, host, 0)
        fake.port = server.sockets[0].getsockname()[1]
        servers.append(server)
        started.set()

    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    asyncio.run_coroutine_threadsafe(main(), loop).result(timeout=10)
    started.wait(10)
    try:
        yield fake
    finally:
        async def stop() -> None:
            for server in servers:
                server.close()
                await server.wait_closed()
        asyncio.run_coroutine_threadsafe(stop(), loop).result(timeout=10)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=10)
        loop.close()
