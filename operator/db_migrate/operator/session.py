"""kopf's connection to the API server, with a bound on concurrent connections.

kopf's own aiohttp session has no connection limit: with a thousand resources changing at
once, every per-object worker (status patches, Events) opens its own TLS connection. Each holds
TLS and read buffers (the bench measured hundreds of MiB of RSS that glibc never returned) and
the API server's priority-and-fairness answers the excess with HTTP 429. The login is kopf's
(``login_via_client``: in-cluster ServiceAccount or kubeconfig); only the connection pool
differs: at most ``DB_MIGRATE_API_CONNECTIONS`` connections, the others wait for a free one.
"""

from __future__ import annotations

from typing import Any

import aiohttp
import kopf


def connection_info_session(info: kopf.ConnectionInfo, limit: int) -> kopf.AiohttpSession:
    """The same credentials and TLS settings kopf would use, with ``limit`` connections."""
    session = aiohttp.ClientSession(
        connector=aiohttp.TCPConnector(limit=limit, ssl=info.as_ssl_context()),
        headers=info.as_http_headers(),
        auth=info.as_aiohttp_basic_auth(),
    )
    return kopf.AiohttpSession(aiohttp_session=session, server=info.server,
                               default_namespace=info.default_namespace,
                               expiration=info.expiration, priority=info.priority)


async def bounded_login(limit: int, **kwargs: Any) -> kopf.AiohttpSession | None:
    """A kopf login handler body (registered in handlers.py with the configured limit)."""
    info = kopf.login_via_client(**kwargs)
    if info is None:
        return None
    return connection_info_session(info, limit)
