"""Connecting, session settings, and keeping credentials out of every message."""

from __future__ import annotations

import re
from collections.abc import Iterable

import psycopg
from psycopg.rows import TupleRow

from db_migrate.engine import conninfo
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
        value = conninfo.parse(url, "connection string").get("password")
    except conninfo.InvalidConnectionString:
        return None
    return value or None


def describe_target(url: str) -> str:
    """A credential-free description of where a URL points (for output and status)."""
    try:
        params = conninfo.parse(url, "connection string")
    except conninfo.InvalidConnectionString:
        return "an invalid connection string"
    host = params.get("host") or params.get("hostaddr") or "localhost"
    port = params.get("port")
    where = host if host.startswith("/") else f"{host}:{port or 5432}"
    return f"{params.get('dbname') or params.get('user') or '?'} on {where}"


#: Parameters whose values error messages may show: where (status.target shows it already),
#: who, and values our parser confined to numbers or libpq's fixed vocabularies.
_SHOWN = frozenset({"host", "dbname", "user", "application_name", *conninfo.CONFINED})


def scrub(message: str, params: dict[str, str]) -> str:
    """A libpq/psycopg message without any value of ``params`` except the shown ones.

    libpq echoes option values in some errors (``invalid sslcert value: "..."``); values are
    replaced longest first so that a value containing another one is hidden whole."""
    hidden = sorted((v for k, v in params.items() if k not in _SHOWN and v), key=len, reverse=True)
    return redact(message, hidden)


def connect(url: str, options: RunOptions, *, database: str) -> Conn:
    """An autocommit connection with the run's session settings (one extra round trip).

    The string is checked by our own parser first (InvalidConnectionString, permanent), so
    libpq only ever parses the quoted ``key=value`` form we rebuild."""
    params = conninfo.parse(url, f"{database}: the connection string")
    params["application_name"] = options.application_name
    params["connect_timeout"] = str(max(1, round(options.connect_timeout_s)))
    try:
        conn: Conn = psycopg.connect(conninfo.to_conninfo(params), autocommit=True)
    except psycopg.Error as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise Unavailable(
            f"{database}: cannot connect to {describe_target(url)}: {scrub(first, params)}"
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
