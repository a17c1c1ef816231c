"""Connecting, session settings, and keeping credentials out of every message."""

from __future__ import annotations

import re
from collections.abc import Iterable

import psycopg
from psycopg.conninfo import conninfo_to_dict, make_conninfo
from psycopg.rows import TupleRow

from db_migrate.engine.errors import Unavailable
from db_migrate.engine.options import RunOptions

#: The connection type every engine module uses (rows are plain tuples).
Conn = psycopg.Connection[TupleRow]

_URL_PASSWORD = re.compile(r"(?P<head>[a-z][a-z0-9+.-]*://[^:/?#@\s]*:)(?P<pw>[^@/?#\s]*)(?=@)", re.I)
_KV_PASSWORD = re.compile(r"(?P<head>\bpassword\s*=\s*)(?P<pw>'(?:[^'\\]|\\.)*'|\S+)", re.I)


def redact(text: str, secrets: Iterable[str] = ()) -> str:
    """Hide passwords in URLs (``user:***@``), key=value conninfo and any known secret."""
    text = _URL_PASSWORD.sub(lambda m: m["head"] + "***" if m["pw"] else m["head"], text)
    text = _KV_PASSWORD.sub(lambda m: m["head"] + "***", text)
    for secret in secrets:
        if secret:
            text = text.replace(secret, "***")
    return text


def password_of(url: str) -> str | None:
    try:
        value = conninfo_to_dict(url).get("password")
    except psycopg.ProgrammingError:
        return None
    return str(value) if value else None


def describe_target(url: str) -> str:
    """A credential-free description of where a URL points (for output and status)."""
    try:
        params = conninfo_to_dict(url)
    except psycopg.ProgrammingError:
        return redact(url)
    params.pop("password", None)
    host = str(params.get("host") or "localhost")
    port = params.get("port")
    where = host if host.startswith("/") else f"{host}:{port or 5432}"
    return f"{params.get('dbname') or params.get('user') or '?'} on {where}"


def connect(url: str, options: RunOptions, *, database: str) -> Conn:
    """An autocommit connection with the run's session settings (one extra round trip)."""
    secret = password_of(url)
    try:
        conninfo = make_conninfo(
            url,
            application_name=options.application_name,
            connect_timeout=max(1, round(options.connect_timeout_s)),
        )
        conn: Conn = psycopg.connect(conninfo, autocommit=True)
    except psycopg.Error as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise Unavailable(
            f"{database}: cannot connect to {describe_target(url)}: "
            f"{redact(first, [secret] if secret else [])}"
        ) from None
    settings = {
        "lock_timeout": f"{round(options.pg_lock_timeout_s * 1000)}ms",
        "statement_timeout": f"{round(options.statement_timeout_s * 1000)}ms",
    }
    if conn.info.server_version >= 140000:
        settings["client_connection_check_interval"] = (
            f"{round(options.connection_check_interval_s * 1000)}ms"
        )
    query = "SELECT " + ", ".join(f"set_config('{name}', %s, false)" for name in settings)
    conn.execute(query, list(settings.values()))
    return conn
