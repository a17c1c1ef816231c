"""Count the API writes a process makes: a plain-HTTP proxy in front of the API server.

The operator's kubeconfig names the proxy (``http://127.0.0.1:PORT``, the ServiceAccount's
bearer token passed on as is); the proxy forwards every request over TLS to the real API
server, streaming watch responses, and records each write (every method but GET, HEAD and
OPTIONS) with its path and, for an Event, the object it is about. kopf's own writes (its
annotation patches, its Events) and ours (status patches, Events, Leases) all pass through it,
which is what the tests and ``bench/operator_scale.py`` count per resource.
"""

from __future__ import annotations

import asyncio
import json
import ssl
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
import yaml
from aiohttp import web

from testkit.ports import free_port

READS = frozenset({"GET", "HEAD", "OPTIONS"})
#: Hop-by-hop and framing headers: aiohttp sets its own on each side. Content-Encoding passes
#: through, with the body as it came (the API server gzips large lists: no decompression here).
_SKIP = frozenset({"host", "content-length", "transfer-encoding", "connection", "keep-alive"})


@dataclass(frozen=True)
class Write:
    method: str
    path: str
    #: For an Event: the namespace/name of the object it is about; else "".
    about: str = ""
    status: int = 0
    #: The request body (its first 2,000 characters).
    body: str = ""

    def of(self, namespace: str, plural: str, name: str) -> bool:
        """Whether this write is about that object: to it, its status, or an Event of it."""
        base = f"/namespaces/{namespace}/{plural}/{name}"
        return self.path.endswith(base) or self.path.endswith(f"{base}/status") or \
            self.about == f"{namespace}/{name}"


class WriteCounter:
    """The proxy, on a thread of its own; :attr:`writes` in the order they were answered."""

    def __init__(self, server: str, ca: ssl.SSLContext) -> None:
        self.upstream = server.rstrip("/")
        self.ssl = ca
        self.port = free_port()
        self.writes: list[Write] = []
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._runner: web.AppRunner | None = None
        self._session: aiohttp.ClientSession | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def about(self, namespace: str, plural: str, name: str) -> list[Write]:
        with self._lock:
            return [w for w in self.writes if w.of(namespace, plural, name)]

    async def _forward(self, request: web.Request) -> web.StreamResponse:
        assert self._session is not None
        body = await request.read()
        headers = {k: v for k, v in request.headers.items() if k.lower() not in _SKIP}
        async with self._session.request(request.method, self.upstream + request.path_qs,
                                         headers=headers, data=body or None, ssl=self.ssl,
                                         timeout=aiohttp.ClientTimeout(total=None)) as upstream:
            if request.method not in READS:
                with self._lock:
                    self.writes.append(Write(request.method, request.path, _about(body),
                                             upstream.status, body[:2000].decode(errors="replace")))
            response = web.StreamResponse(status=upstream.status, headers={
                k: v for k, v in upstream.headers.items() if k.lower() not in _SKIP})
            await response.prepare(request)
            try:
                async for chunk in upstream.content.iter_any():
                    await response.write(chunk)
                await response.write_eof()
            except ConnectionError:
                pass  # the client went away (a watch it stopped): nothing left to pass on
            return response

    def start(self) -> WriteCounter:
        ready = threading.Event()

        async def serve() -> None:
            self._session = aiohttp.ClientSession(auto_decompress=False)
            app = web.Application(client_max_size=64 * 1024 * 1024)
            app.router.add_route("*", "/{tail:.*}", self._forward)
            self._runner = web.AppRunner(app, access_log=None)
            await self._runner.setup()
            await web.TCPSite(self._runner, "127.0.0.1", self.port).start()

        def run() -> None:
            self._loop = asyncio.new_event_loop()
            self._loop.run_until_complete(serve())
            ready.set()
            self._loop.run_forever()

        self._thread = threading.Thread(target=run, daemon=True, name="api-write-counter")
        self._thread.start()
        if not ready.wait(10):
            raise RuntimeError("the API write counter did not start")
        return self

    def stop(self) -> None:
        loop = self._loop
        if loop is None:
            return

        async def shutdown() -> None:
            if self._runner is not None:
                await self._runner.cleanup()
            if self._session is not None:
                await self._session.close()
            loop.stop()

        asyncio.run_coroutine_threadsafe(shutdown(), loop)
        if self._thread is not None:
            self._thread.join(10)


def _about(body: bytes) -> str:
    """The involvedObject (or regarding) of an Event being posted, as namespace/name."""
    if not body or (b"involvedObject" not in body and b"regarding" not in body):
        return ""
    try:
        doc: dict[str, Any] = json.loads(body)
    except ValueError:
        return ""
    ref = doc.get("involvedObject") or doc.get("regarding") or {}
    return f"{ref.get('namespace', '')}/{ref.get('name', '')}" if ref else ""


def through(kubeconfig: Path, counter: WriteCounter) -> None:
    """Point a token kubeconfig at the proxy (plain HTTP on loopback: no CA, same token)."""
    config = yaml.safe_load(kubeconfig.read_text())
    for entry in config.get("clusters") or []:
        entry["cluster"] = {"server": counter.url}
    kubeconfig.write_text(yaml.safe_dump(config, sort_keys=False))


def ssl_context(cluster: dict[str, Any]) -> ssl.SSLContext:
    """TLS to the real API server, trusting the CA a kubeconfig cluster entry names."""
    context = ssl.create_default_context()
    if cluster.get("certificate-authority"):
        context.load_verify_locations(cafile=cluster["certificate-authority"])
    elif cluster.get("certificate-authority-data"):
        import base64
        context.load_verify_locations(
            cadata=base64.b64decode(cluster["certificate-authority-data"]).decode())
    return context
